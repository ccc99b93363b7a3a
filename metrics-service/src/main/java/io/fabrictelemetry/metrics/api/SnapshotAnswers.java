package io.fabrictelemetry.metrics.api;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import reactor.core.publisher.Mono;

/**
 * What every answer read from the current snapshot shares: the snapshot or a {@code 503}
 * {@code no-data-yet} problem, the headers every telemetry answer carries, the {@code 304} of a
 * matching {@code If-None-Match}, and bodies sent without a copy. Every request reads the current
 * snapshot once and answers from it: no network I/O, no lock, nothing blocking.
 */
@Component
public final class SnapshotAnswers {

    private static final NettyDataBufferFactory NETTY_BUFFERS = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

    private final SnapshotStore store;
    private final Clock clock;
    private final String retryAfterSeconds;
    private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

    public SnapshotAnswers(SnapshotStore store, PollProperties poll, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.retryAfterSeconds = RetryAfter.seconds(poll.interval());
    }

    /** The current snapshot; before the first one, a {@code 503} problem that says when to retry. */
    public Snapshot requireSnapshot() {
        Snapshot snapshot = store.current();
        if (snapshot == null) {
            throw noDataYet("no snapshot has been collected from the generator yet");
        }
        return snapshot;
    }

    /** {@code 503 …:no-data-yet} with {@code Retry-After} (a poll interval): the service has nothing to serve yet. */
    public ProblemException noDataYet(String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "no-data-yet", detail, Map.of(), headers);
    }

    /** A JSON answer with the headers every telemetry answer carries ({@link #headers}). */
    public TelemetryAnswer answer(String etag, Instant sampledAt, Supplier<DataBuffer> body) {
        return TelemetryAnswer.ok(MediaType.APPLICATION_JSON_VALUE, etag, ageMs(sampledAt), body);
    }

    /**
     * Whole milliseconds from {@code sampledAt} to now, as {@code Duration.between(sampledAt, now).toMillis()}
     * counts them (rounded down), never below 0; the arithmetic written out, since
     * {@code Duration.between} (exact-arithmetic checks, a {@code Duration} per call) was 0.5 % of
     * a GetMetric request's CPU.
     */
    public long ageMs(Instant sampledAt) {
        return ageMs(sampledAt, clock.instant());
    }

    static long ageMs(Instant sampledAt, Instant now) {
        long seconds = now.getEpochSecond() - sampledAt.getEpochSecond();
        if (seconds < 0) {
            return 0;
        }
        if (seconds >= Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE; // where Duration's toMillis would overflow
        }
        long ms = seconds * 1000 + Math.floorDiv(now.getNano() - sampledAt.getNano(), 1_000_000);
        return Math.max(0, ms);
    }

    /**
     * The headers every telemetry answer carries. {@code sampledAt} is that of the values in the
     * body: for a carried-over switch, older than the snapshot's.
     */
    public ServerResponse.BodyBuilder headers(HttpStatus status, MediaType type, String etag, Instant sampledAt) {
        return ServerResponse.status(status)
                .contentType(type)
                .eTag(etag)
                .cacheControl(CacheControl.noCache())
                .header(TelemetryAnswer.DATA_AGE, Long.toString(ageMs(sampledAt)));
    }

    /**
     * The {@code 304} for a request whose {@code If-None-Match} matches {@code etag} ({@link EntityTags},
     * the rule of every answer: weak comparison, {@code *} matches), with the answer's headers and no
     * body; {@code null} when it does not match.
     */
    public @Nullable Mono<ServerResponse> notModified(ServerRequest request, MediaType type, String etag, Instant sampledAt) {
        return notModified(request, type, etag, sampledAt, null);
    }

    /** {@link #notModified(ServerRequest, MediaType, String, Instant)} with {@code Vary}, when not null. */
    public @Nullable Mono<ServerResponse> notModified(ServerRequest request, MediaType type, String etag,
            Instant sampledAt, @Nullable String vary) {
        if (!EntityTags.matches(request.headers().header(HttpHeaders.IF_NONE_MATCH), etag)) {
            return null;
        }
        ServerResponse.BodyBuilder answer = headers(HttpStatus.NOT_MODIFIED, type, etag, sampledAt);
        if (vary != null) {
            answer.header(HttpHeaders.VARY, vary);
        }
        return answer.build();
    }

    /** The body as is, wrapped without copying; the caller answers a matching If-None-Match first ({@link #notModified}). */
    public Mono<ServerResponse> send(ServerResponse.BodyBuilder response, byte[] body) {
        // stated, not left to the server: a HEAD answer then carries it too (Reactor Netty starts every
        // answer as chunked, and Spring's HEAD handling measures a body only when the answer is not)
        return response.contentLength(body.length)
                .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> buffers.wrap(body))));
    }

    /**
     * A shared off-heap body: wrapped as a Netty buffer over the same memory, which Netty writes to
     * the socket without copying (and never frees: the snapshot owns it).
     */
    public Mono<ServerResponse> send(ServerResponse.BodyBuilder response, ByteBuffer body) {
        return response.contentLength(body.remaining())
                .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> offHeap(body))));
    }

    /** A body wrapped as a Netty buffer over the same memory (on or off the heap), without a copy. */
    public static DataBuffer offHeap(ByteBuffer body) {
        return NETTY_BUFFERS.wrap(Unpooled.wrappedBuffer(body.duplicate()));
    }

    /** A body written into a Netty buffer, wrapped as it is. */
    public static DataBuffer wrap(ByteBuf body) {
        return NETTY_BUFFERS.wrap(body);
    }
}
