package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;

import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.body.Gzip;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Where a filtered ListMetrics is encoded when no gzip is asked for: by its estimated size in bytes
 * as well as its cells. Fewer cells than {@link TelemetryHandler#INLINE_ENCODING_CELLS} with long
 * (legal, 256-character) IDs make a body over {@link TelemetryHandler#INLINE_ENCODING_BYTES}, and
 * encoding costs in proportion to the bytes, so such a body is encoded on a worker, not the caller's
 * thread (the event loop). The encoding is the handler's seam: it notes its thread. An inline body
 * is encoded only when the response is written, so each test writes it.
 */
class FilteredListMetricsEncodingTests {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)));
    private final AtomicReference<String> encodedOn = new AtomicReference<>();
    private final TelemetryHandler handler = new TelemetryHandler(
            new SnapshotAnswers(store, new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
                    DataSize.ofMegabytes(64)), Clock.systemUTC()),
            Gzip::compress,
            selection -> {
                encodedOn.set(Thread.currentThread().getName());
                return selection.body();
            });

    /** Switches with IDs of the longest a query may name, one metric {@code a}. */
    private void publish(int switches) {
        int idLength = QueryParameters.MAX_PARAMETER_LENGTH;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < switches; i++) {
            ids.add(("sw-" + i + "-").repeat(idLength).substring(0, idLength));
        }
        byte[] kinds = new byte[switches];
        Arrays.fill(kinds, CellKind.INTEGER);
        store.publish(Table.of(List.of("a"), ids, new long[switches], kinds, 0, 0), T0, T0, null);
    }

    /** An identity (no gzip) filtered ListMetrics, answered and written. */
    private long identityRequest(String query) {
        MockServerRequest request = MockServerRequest.builder()
                .uri(URI.create("http://localhost/telemetry/ListMetrics?" + query))
                .build();
        ServerResponse response = handler.listMetrics(request).block(Duration.ofSeconds(30));
        assertThat(response.headers().getFirst("Content-Encoding")).isNull();
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/telemetry/ListMetrics?" + query));
        response.writeTo(exchange, new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return HandlerStrategies.withDefaults().messageWriters();
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        }).block(Duration.ofSeconds(30));
        return exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(30)).length();
    }

    @Test
    void fewCellsWithLongNamesOverTheByteEstimateAreEncodedOffTheCallersThread() {
        publish(6_000); // 6,000 cells (under the cell limit), about 1.6 MB

        long written = identityRequest("metric=a");

        assertThat(written).isGreaterThan(TelemetryHandler.INLINE_ENCODING_BYTES);
        assertThat(encodedOn.get()).startsWith("boundedElastic-");
    }

    @Test
    void smallBodyIsEncodedOnTheCallersThread() {
        publish(10);

        identityRequest("metric=a");

        assertThat(encodedOn.get()).isEqualTo(Thread.currentThread().getName());
    }
}
