package io.fabrictelemetry.metrics.stream;

import java.util.Map;

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

    StreamHandler(SnapshotStream stream, SnapshotAnswers answers, StreamProperties properties) {
        this.stream = stream;
        this.answers = answers;
        // a place frees up when a client leaves: no better hint than a keepalive period
        this.retryAfterSeconds = RetryAfter.seconds(properties.keepalive());
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
        BodyInserter<Object, ServerHttpResponse> events = (response, context) ->
                response.writeAndFlushWith(stream.events(filter, StreamOutbound.of(response)));
        return ServerResponse.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no") // nginx: do not buffer the stream
                .body(events);
    }

    public Mono<ServerResponse> head(ServerRequest request) {
        ListMetricsFilter filter = ListMetricsFilter.from(request);
        if (!filter.isUnfiltered()) {
            filter.select(answers.requireSnapshot());
        }
        return ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM).cacheControl(CacheControl.noStore()).build();
    }
}
