package io.fabrictelemetry.metrics.export;

import java.nio.ByteBuffer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.metrics.api.AcceptEncoding;
import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Mono;

/**
 * {@code GET /telemetry/prometheus}: the fabric in the Prometheus text format, encoded at most once
 * per snapshot ({@link FabricExporter}) and served off the heap without a copy, under the
 * snapshot's ETag. On port rows, one series per port, gzip-encoded when the client takes it.
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
        if (snapshot.ports() != null) {
            return ports(request, snapshot);
        }
        Mono<ServerResponse> notModified = answers.notModified(request, PROMETHEUS_TEXT, snapshot.etag(), snapshot.sampledAt());
        if (notModified != null) {
            return notModified;
        }
        return exporter.export(snapshot).flatMap((ByteBuffer body) ->
                answers.send(answers.headers(HttpStatus.OK, PROMETHEUS_TEXT, snapshot.etag(), snapshot.sampledAt()), body));
    }

    /**
     * The export of port rows: gzip as it is kept, to a client that takes it (Prometheus does), under
     * an ETag of its own; the text otherwise, inflated as it is sent. Both state their length, and a
     * HEAD answer sends no body, so it never inflates one.
     */
    private Mono<ServerResponse> ports(ServerRequest request, Snapshot snapshot) {
        boolean gzip = AcceptEncoding.acceptsGzip(request);
        String etag = gzip ? EntityTags.withSuffix(snapshot.etag(), "-gzip") : snapshot.etag();
        Mono<ServerResponse> notModified = answers.notModified(request, PROMETHEUS_TEXT, etag, snapshot.sampledAt(),
                HttpHeaders.ACCEPT_ENCODING);
        if (notModified != null) {
            return notModified;
        }
        return exporter.exportPorts(snapshot).flatMap(encoded -> {
            ServerResponse.BodyBuilder response = answers.headers(HttpStatus.OK, PROMETHEUS_TEXT, etag, snapshot.sampledAt())
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            if (gzip) {
                response.header(HttpHeaders.CONTENT_ENCODING, "gzip").contentLength(encoded.gzipBytes());
            } else {
                response.contentLength(encoded.identityBytes());
            }
            if (HttpMethod.HEAD.equals(request.method())) {
                return response.build();
            }
            return response.body(BodyInserters.fromDataBuffers(gzip ? encoded.gzipBody() : encoded.identityBody()));
        });
    }
}
