package io.fabrictelemetry.generator.api;

import java.time.Duration;
import java.util.function.Function;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.generator.simulation.CsvBody;
import io.fabrictelemetry.generator.simulation.Generation;
import io.fabrictelemetry.generator.simulation.GenerationStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Serves the current generation's pre-rendered CSVs: {@code /counters} (one row per switch) and
 * {@code /csv/metrics} (one row per port, UFM Telemetry's layout). Nothing is computed per request
 * but the fault decisions, drawn alike for both views: the body is the generation's own bytes,
 * wrapped without copying. Spring answers a matching {@code If-None-Match} with {@code 304} and the
 * same headers, without the body.
 */
@Component
class CountersHandler {

    static final MediaType TEXT_CSV_UTF8 = MediaType.parseMediaType("text/csv;charset=utf-8");
    static final String SAMPLED_AT = "X-Sampled-At";

    private final GenerationStore store;
    private final FaultInjector faults;
    private final DataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

    CountersHandler(GenerationStore store, FaultInjector faults) {
        this.store = store;
        this.faults = faults;
    }

    /** A view of a generation: its body and that body's tag. */
    private record View(CsvBody body, String etag) {
    }

    Mono<ServerResponse> counters(ServerRequest request) {
        return serve(generation -> new View(new CsvBody(generation.csv(), generation.csv().length), generation.etag()));
    }

    Mono<ServerResponse> portMetrics(ServerRequest request) {
        return serve(generation -> new View(generation.portsCsv(), generation.portsEtag()));
    }

    private Mono<ServerResponse> serve(Function<Generation, View> view) {
        Duration delay = faults.delay();
        Mono<ServerResponse> response = Mono.defer(() -> respond(view));
        return delay.isZero() ? response : Mono.delay(delay).then(response);
    }

    private Mono<ServerResponse> respond(Function<Generation, View> view) {
        if (faults.error()) {
            return ServerResponse.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .contentType(MediaType.TEXT_PLAIN)
                    .bodyValue("injected fault: internal error\n");
        }
        Generation generation = store.current();
        View current = view.apply(generation);
        String sampledAt = TimeFormat.iso(generation.sampledAt());
        if (faults.truncate()) {
            CsvBody csv = current.body();
            // Announce the whole body, send half, then fail the stream: the server closes the connection.
            Flux<DataBuffer> half = Flux.concat(
                    Mono.fromSupplier(() -> buffers.wrap(java.nio.ByteBuffer.wrap(csv.bytes(), 0, csv.length() / 2))),
                    Mono.error(new InjectedTruncation()));
            return ServerResponse.ok()
                    .contentType(TEXT_CSV_UTF8)
                    .contentLength(csv.length())
                    .header(SAMPLED_AT, sampledAt)
                    .body(BodyInserters.fromDataBuffers(half));
        }
        if (faults.corrupt()) {
            // A distinct ETag, so that a consumer's next conditional request fetches the intact body.
            String etag = EntityTags.withSuffix(current.etag(), "-corrupt");
            // a copy of a body of up to tens of MB: made on a worker, not on the event loop
            return Mono.fromCallable(() -> faults.corruptRow(current.body().bytes(), current.body().length()))
                    .subscribeOn(Schedulers.parallel())
                    .flatMap(body -> csvResponse(new CsvBody(body, body.length), etag, sampledAt));
        }
        return csvResponse(current.body(), current.etag(), sampledAt);
    }

    private Mono<ServerResponse> csvResponse(CsvBody body, String etag, String sampledAt) {
        return ServerResponse.ok()
                .contentType(TEXT_CSV_UTF8)
                .contentLength(body.length())
                .eTag(etag)
                .header(SAMPLED_AT, sampledAt)
                .body(BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> buffers.wrap(body.buffer()))));
    }

    /** Ends a deliberately truncated response; logged by the server as a failed write, not a bug. */
    static final class InjectedTruncation extends RuntimeException {
        InjectedTruncation() {
            super("injected fault: body truncated", null, false, false);
        }
    }
}
