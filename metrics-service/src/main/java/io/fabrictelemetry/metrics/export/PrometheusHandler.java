package io.fabrictelemetry.metrics.export;

import java.nio.ByteBuffer;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Mono;

/**
 * {@code GET /telemetry/prometheus}: the fabric in the Prometheus text format, encoded at most once
 * per snapshot ({@link FabricExporter}) and served off the heap without a copy, under the
 * snapshot's ETag.
 */
@Component
public class PrometheusHandler {

    static final MediaType PROMETHEUS_TEXT = MediaType.parseMediaType(FabricExporter.CONTENT_TYPE);

    private final SnapshotAnswers answers;
    private final FabricExporter exporter;

    PrometheusHandler(SnapshotAnswers answers, FabricExporter exporter) {
        this.answers = answers;
        this.exporter = exporter;
    }

    public Mono<ServerResponse> prometheus(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        Mono<ServerResponse> notModified = answers.notModified(request, PROMETHEUS_TEXT, snapshot.etag(), snapshot.sampledAt());
        if (notModified != null) {
            return notModified;
        }
        return exporter.export(snapshot).flatMap((ByteBuffer body) ->
                answers.send(answers.headers(HttpStatus.OK, PROMETHEUS_TEXT, snapshot.etag(), snapshot.sampledAt()), body));
    }
}
