package io.fabrictelemetry.metrics.stream;

import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.api.RetryAfter;
import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.kafka.KafkaSettings;
import io.fabrictelemetry.metrics.query.ListMetricsFilter;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Mono;

/**
 * {@code GET /telemetry/stream}: Server-Sent Events, one per published snapshot, each the
 * snapshot's ListMetrics (filtered as ListMetrics with the same parameters). Filters are checked
 * before the stream starts; the unfiltered event body is the snapshot's pre-encoded bytes, shared
 * by every client without a copy, and a filtered one is encoded off the event loop and shared by
 * the clients with the same filter while any of them holds it ({@link StreamEdition}).
 */
@Component
public class StreamHandler {

    private final SnapshotStream stream;
    private final SnapshotAnswers answers;
    private final String retryAfterSeconds;
    private final boolean resumable;

    @Autowired
    StreamHandler(SnapshotStream stream, SnapshotAnswers answers, StreamProperties properties, KafkaSettings kafka) {
        this(stream, answers, properties, kafka.usesKafka());
    }

    StreamHandler(SnapshotStream stream, SnapshotAnswers answers, StreamProperties properties) {
        this(stream, answers, properties, false);
    }

    /**
     * @param resumable whether a reconnecting client's {@code Last-Event-ID} is honoured: only when
     *                  sequences come from the Kafka log (publish and consume modes), the same on every
     *                  replica and after every restart; a polling service numbers its snapshots from 1
     *                  at each start, so an id from before a restart would hold back newer data
     */
    StreamHandler(SnapshotStream stream, SnapshotAnswers answers, StreamProperties properties, boolean resumable) {
        this.stream = stream;
        this.answers = answers;
        // a place frees up when a client leaves: no better hint than a keepalive period
        this.retryAfterSeconds = RetryAfter.seconds(properties.keepalive());
        this.resumable = resumable;
    }

    public Mono<ServerResponse> stream(ServerRequest request) {
        ListMetricsFilter filter = ListMetricsFilter.from(request);
        if (!filter.isUnfiltered()) {
            // names are checked against the current snapshot: without one they cannot be
            Snapshot snapshot = answers.requireSnapshot();
            filter.select(snapshot);
        }
        switch (stream.phase()) {
            case NOT_STARTED -> throw answers.noDataYet("the service is starting: the snapshot stream has not started yet");
            case STOPPED -> throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down",
                    "the service is shutting down: it takes no new snapshot stream; connect again once it is back"
                            + " (or to another instance)");
            case RUNNING -> {
                // served below, if there is room
            }
        }
        if (!stream.hasRoom()) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
            throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "too-many-streams",
                    "the service already serves its maximum number of snapshot streams; retry later",
                    Map.of(), headers);
        }
        long lastSeen = lastEventId(request);
        BodyInserter<Object, ServerHttpResponse> events = (response, context) ->
                response.writeAndFlushWith(stream.events(filter, StreamOutbound.of(response), lastSeen));
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no") // nginx: do not buffer the stream
                .body(events);
    }

    /**
     * The sequence a reconnecting client last received ({@code Last-Event-ID}, which
     * {@code EventSource} sends by itself), when sequences are the log's: its first event is then the
     * current snapshot only if that is newer, else the next newer one. 0 (send the current one) when
     * absent, not a sequence, or in poll mode.
     */
    private long lastEventId(ServerRequest request) {
        if (!resumable) {
            return 0;
        }
        String id = request.headers().firstHeader("Last-Event-ID");
        if (id == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(id.strip()));
        } catch (NumberFormatException notOurs) {
            return 0;
        }
    }

    public Mono<ServerResponse> head(ServerRequest request) {
        ListMetricsFilter filter = ListMetricsFilter.from(request);
        if (!filter.isUnfiltered()) {
            filter.select(answers.requireSnapshot());
        }
        return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM).cacheControl(CacheControl.noStore()).build();
    }
}
