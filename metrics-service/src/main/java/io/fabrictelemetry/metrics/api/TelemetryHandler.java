package io.fabrictelemetry.metrics.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;

import io.fabrictelemetry.metrics.export.FabricExporter;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.snapshot.Bodies;
import io.fabrictelemetry.metrics.snapshot.Gzip;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.JsonOut;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * The telemetry endpoints. Every request reads the current snapshot once and answers from it:
 * no network I/O, no lock, nothing blocking. ListMetrics and the Prometheus export serve bodies
 * encoded once per snapshot, off the heap and without a copy; GetMetric encodes one small object. A matching {@code If-None-Match} gets {@code 304} from
 * Spring's conditional-request support, without the body.
 */
@Component
class TelemetryHandler {

    static final String DATA_AGE = "X-Data-Age-Ms";
    static final int MAX_PARAMETER_LENGTH = 256;
    /** Filtered bodies up to this many values are encoded on the event loop (tens of microseconds). */
    static final long INLINE_ENCODING_CELLS = 20_000;
    static final List<HttpMethod> ALLOWED = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    static final MediaType PROMETHEUS_TEXT = MediaType.parseMediaType(FabricExporter.CONTENT_TYPE);
    private static final JsonFactory JSON = Bodies.JSON;
    /** What a GetMetric body usually takes (a long switch ID or metric name grows the buffer). */
    private static final int METRIC_BODY_SIZE = 192;
    private static final NettyDataBufferFactory NETTY_BUFFERS = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

    private final SnapshotStore store;
    private final FabricExporter exporter;
    private final Clock clock;
    private final String retryAfterSeconds;
    private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
    private final TopRanking ranking = new TopRanking();

    TelemetryHandler(SnapshotStore store, FabricExporter exporter, PollProperties poll, Clock clock) {
        this.store = store;
        this.exporter = exporter;
        this.clock = clock;
        this.retryAfterSeconds = Long.toString(Math.max(1, (poll.interval().toMillis() + 999) / 1000));
    }

    Mono<ServerResponse> listMetrics(ServerRequest request) {
        Snapshot snapshot = requireSnapshot();
        ListMetricsFilter filter = ListMetricsFilter.from(request);
        if (!filter.isUnfiltered()) {
            return filteredListMetrics(request, filter.select(snapshot));
        }
        if (!acceptsGzip(request)) {
            return Mono.just(answer(snapshot.etag(), snapshot.sampledAt(), () -> offHeap(snapshot.listMetricsBody()))
                    .varying(HttpHeaders.ACCEPT_ENCODING, null));
        }
        // another representation, so another strong ETag; a 304 never touches (or compresses) the body
        String etag = gzipEtag(snapshot.etag());
        Mono<ServerResponse> notModified = notModified(request, MediaType.APPLICATION_JSON, etag, snapshot.sampledAt(),
                HttpHeaders.ACCEPT_ENCODING);
        if (notModified != null) {
            return notModified;
        }
        return snapshot.listMetricsGzip().flatMap(body -> send(
                headers(HttpStatus.OK, MediaType.APPLICATION_JSON, etag, snapshot.sampledAt())
                        .header(HttpHeaders.CONTENT_ENCODING, "gzip")
                        .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING), body));
    }

    /**
     * A filtered ListMetrics: encoded per request (and compressed when asked), under the selection's
     * own ETag, checked before anything is encoded. Large selections are encoded off the event loop.
     */
    private Mono<ServerResponse> filteredListMetrics(ServerRequest request, ListMetricsFilter.Selection selection) {
        Snapshot snapshot = selection.snapshot();
        boolean gzip = acceptsGzip(request);
        String etag = gzip ? gzipEtag(selection.etag()) : selection.etag();
        Mono<ServerResponse> notModified = notModified(request, MediaType.APPLICATION_JSON, etag, snapshot.sampledAt(),
                HttpHeaders.ACCEPT_ENCODING);
        if (notModified != null) {
            return notModified;
        }
        if (!gzip && selection.cells() <= INLINE_ENCODING_CELLS) {
            return Mono.just(answer(etag, snapshot.sampledAt(), () -> offHeap(selection.body()))
                    .varying(HttpHeaders.ACCEPT_ENCODING, null));
        }
        Mono<ByteBuffer> body = Mono.fromSupplier(() -> gzip
                ? ByteBuffer.wrap(Gzip.compress(Bodies.toArray(selection.body())))
                : selection.body());
        if (selection.cells() > INLINE_ENCODING_CELLS) {
            body = body.subscribeOn(Schedulers.boundedElastic());
        }
        return body.flatMap(bytes -> {
            ServerResponse.BodyBuilder response = headers(HttpStatus.OK, MediaType.APPLICATION_JSON, etag,
                    snapshot.sampledAt()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            if (gzip) {
                response.header(HttpHeaders.CONTENT_ENCODING, "gzip");
            }
            return send(response, bytes);
        });
    }

    /** The ETag of the gzip-encoded variant of a representation: another representation, another tag. */
    private static String gzipEtag(String etag) {
        return etag.substring(0, etag.length() - 1) + "-gzip\"";
    }

    /** True when the client lists gzip without {@code q=0}. */
    static boolean acceptsGzip(ServerRequest request) {
        for (String value : request.headers().header(HttpHeaders.ACCEPT_ENCODING)) {
            for (String coding : value.split(",")) {
                String[] parts = coding.trim().split(";");
                if (parts[0].trim().equalsIgnoreCase("gzip")) {
                    return parts.length < 2 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
                }
            }
        }
        return false;
    }

    /** The fabric in the Prometheus text format, encoded at most once per snapshot. */
    Mono<ServerResponse> prometheus(ServerRequest request) {
        Snapshot snapshot = requireSnapshot();
        Mono<ServerResponse> notModified = notModified(request, PROMETHEUS_TEXT, snapshot.etag(), snapshot.sampledAt());
        if (notModified != null) {
            return notModified;
        }
        return exporter.export(snapshot).flatMap((ByteBuffer body) ->
                send(headers(HttpStatus.OK, PROMETHEUS_TEXT, snapshot.etag(), snapshot.sampledAt()), body));
    }

    Mono<ServerResponse> getMetric(ServerRequest request) {
        Snapshot snapshot = requireSnapshot();
        String rawQuery = request.uri().getRawQuery();
        String switchId = requiredParameter(rawQuery, "switch");
        String metric = requiredParameter(rawQuery, "metric");
        int row = snapshot.switchRow(switchId);
        if (row < 0) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "unknown-switch",
                    "switch '" + switchId + "' is not in the current snapshot");
        }
        int column = column(snapshot, metric);
        return Mono.just(TelemetryAnswer.written(MediaType.APPLICATION_JSON_VALUE, snapshot.etag(),
                ageMs(snapshot.sampledAt(switchId)), buffers -> metricBody(buffers, snapshot, row, column, metric)));
    }

    /**
     * The switches with the highest (or lowest) values of a metric, from a ranking computed once per
     * snapshot, metric and order ({@link TopRanking}); same headers and ETag rules as GetMetric.
     */
    Mono<ServerResponse> topSwitches(ServerRequest request) {
        Snapshot snapshot = requireSnapshot();
        TopSwitchesQuery query = TopSwitchesQuery.parse(queryParams(request));
        int column = column(snapshot, query.metric());
        int[] rows = ranking.rows(snapshot, column, query.descending());
        int count = Math.min(rows.length, query.limit());
        return Mono.just(answer(snapshot.etag(), snapshot.sampledAt(), () -> {
            ByteBuf body = Unpooled.buffer(200 + count * 40);
            JsonOut json = new JsonOut(new ByteBufOutputStream(body), body.capacity())
                    .ascii("{\"metric\":").string(query.metric())
                    .ascii(",\"order\":").string(query.order())
                    .ascii(",\"limit\":").number(query.limit())
                    .ascii(",\"sequence\":").number(snapshot.sequence())
                    .ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText())
                    .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                    .ascii("\",\"switches\":[");
            for (int i = 0; i < count; i++) {
                json.ascii(i == 0 ? "{\"switch\":" : ",{\"switch\":").string(snapshot.switchId(rows[i])).ascii(",\"value\":");
                snapshot.writeValue(json, rows[i], column);
                json.ascii('}');
            }
            json.ascii("]}").flush();
            return NETTY_BUFFERS.wrap(body);
        }));
    }

    /** Column of a metric; an unknown one is a 404 problem listing the valid metrics. */
    private static int column(Snapshot snapshot, String metric) {
        int column = snapshot.metricColumn(metric);
        if (column < 0) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "unknown-metric",
                    "metric '" + metric + "' is not in the current snapshot",
                    Map.of("validMetrics", snapshot.metrics()), HttpHeaders.EMPTY);
        }
        return column;
    }

    Mono<ServerResponse> options(ServerRequest request) {
        return ServerResponse.noContent().allow(ALLOWED.toArray(HttpMethod[]::new)).build();
    }

    Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
        return Mono.error(new MethodNotAllowedException(request.method(), ALLOWED));
    }

    Snapshot requireSnapshot() {
        Snapshot snapshot = store.current();
        if (snapshot == null) {
            throw noDataYet("no snapshot has been collected from the generator yet");
        }
        return snapshot;
    }

    /** {@code 503 …:no-data-yet} with {@code Retry-After} (a poll interval): the service has nothing to serve yet. */
    ProblemException noDataYet(String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "no-data-yet", detail, Map.of(), headers);
    }

    static MultiValueMap<String, String> queryParams(ServerRequest request) {
        try {
            return QueryString.parse(request.uri().getRawQuery());
        } catch (IllegalArgumentException e) {
            throw invalidQuery();
        }
    }

    private static ProblemException invalidQuery() {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-query",
                "the query string is not valid percent-encoded UTF-8");
    }

    static String requiredParameter(MultiValueMap<String, String> query, String name) {
        return requiredParameter(query.get(name), name);
    }

    /**
     * A required parameter read straight from the raw query ({@link QueryString#values}), with the
     * same answers as {@link #queryParams} followed by {@link #requiredParameter(MultiValueMap, String)}.
     */
    static String requiredParameter(@Nullable String rawQuery, String name) {
        List<@Nullable String> values;
        try {
            values = QueryString.values(rawQuery, name);
        } catch (IllegalArgumentException e) {
            throw invalidQuery();
        }
        return requiredParameter(values, name);
    }

    private static String requiredParameter(@Nullable List<@Nullable String> values, String name) {
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "missing-parameter",
                    "query parameter '" + name + "' is required and must not be blank");
        }
        if (values.size() > 1) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "repeated-parameter",
                    "query parameter '" + name + "' must be given once, but was given " + values.size() + " times");
        }
        String value = values.get(0);
        if (value.length() > MAX_PARAMETER_LENGTH) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "parameter-too-long",
                    "query parameter '" + name + "' must be at most " + MAX_PARAMETER_LENGTH
                            + " characters, but was " + value.length());
        }
        return value;
    }

    /**
     * GetMetric's body, written as bytes with the ListMetrics encoder's own value writer, into a buffer
     * of the response's factory (released if writing fails).
     */
    static DataBuffer metricBody(DataBufferFactory buffers, Snapshot snapshot, int row, int column, String metric) {
        String switchId = snapshot.switchId(row);
        DataBuffer body = buffers.allocateBuffer(METRIC_BODY_SIZE);
        try {
            JsonOut json = new JsonOut(body.asOutputStream(), METRIC_BODY_SIZE)
                    .ascii("{\"switch\":").string(switchId)
                    .ascii(",\"metric\":").string(metric)
                    .ascii(",\"value\":");
            snapshot.writeValue(json, row, column);
            // a carried-over switch shows older values, and says so
            json.ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText(switchId))
                    .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                    .ascii("\"}")
                    .flush();
            return body;
        } catch (RuntimeException e) {
            DataBufferUtils.release(body);
            throw e;
        }
    }

    /** A JSON answer with the headers every telemetry answer carries ({@link #headers}). */
    TelemetryAnswer answer(String etag, Instant sampledAt, Supplier<DataBuffer> body) {
        return TelemetryAnswer.ok(MediaType.APPLICATION_JSON_VALUE, etag, ageMs(sampledAt), body);
    }

    /**
     * Whole milliseconds from {@code sampledAt} to now, as {@code Duration.between(sampledAt, now).toMillis()}
     * counts them (rounded down), never below 0; the arithmetic written out, since
     * {@code Duration.between} (exact-arithmetic checks, a {@code Duration} per call) was 0.5 % of
     * a GetMetric request's CPU.
     */
    private long ageMs(Instant sampledAt) {
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
    ServerResponse.BodyBuilder headers(HttpStatus status, MediaType type, String etag, Instant sampledAt) {
        return ServerResponse.status(status)
                .contentType(type)
                .eTag(etag)
                .cacheControl(CacheControl.noCache())
                .header(DATA_AGE, Long.toString(ageMs(sampledAt)));
    }

    /**
     * The {@code 304} for a request whose {@code If-None-Match} matches {@code etag} ({@link EntityTags},
     * the rule of every answer: weak comparison, {@code *} matches), with the answer's headers and no
     * body; {@code null} when it does not match.
     */
    @Nullable Mono<ServerResponse> notModified(ServerRequest request, MediaType type, String etag, Instant sampledAt) {
        return notModified(request, type, etag, sampledAt, null);
    }

    /** {@link #notModified(ServerRequest, MediaType, String, Instant)} with {@code Vary}, when not null. */
    private @Nullable Mono<ServerResponse> notModified(ServerRequest request, MediaType type, String etag,
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
    Mono<ServerResponse> send(ServerResponse.BodyBuilder response, byte[] body) {
        // stated, not left to the server: a HEAD answer then carries it too (Reactor Netty starts every
        // answer as chunked, and Spring's HEAD handling measures a body only when the answer is not)
        return response.contentLength(body.length)
                .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> buffers.wrap(body))));
    }

    /**
     * A shared off-heap body: wrapped as a Netty buffer over the same memory, which Netty writes to
     * the socket without copying (and never frees: the snapshot owns it).
     */
    private Mono<ServerResponse> send(ServerResponse.BodyBuilder response, ByteBuffer body) {
        return response.contentLength(body.remaining())
                .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> offHeap(body))));
    }

    /** A body wrapped as a Netty buffer over the same memory (on or off the heap), without a copy. */
    private static DataBuffer offHeap(ByteBuffer body) {
        return NETTY_BUFFERS.wrap(Unpooled.wrappedBuffer(body.duplicate()));
    }
}
