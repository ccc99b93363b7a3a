package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.body.Gzip;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Where a filtered ListMetrics is compressed: by its size in bytes, not its cells. Fewer cells than
 * the inline limit can make a large body (IDs up to the longest a query may name), and gzip costs in
 * proportion to the bytes, so such a body is compressed off the caller's thread (the event loop),
 * while a small one is compressed at once. The compression is the handler's seam: it notes its thread.
 * Names are never longer than a query may ask for: ingestion refuses longer ones.
 */
class FilteredListMetricsCompressionTests {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)));
    private final AtomicReference<String> compressedOn = new AtomicReference<>();
    private final TelemetryHandler handler = new TelemetryHandler(
            new SnapshotAnswers(store, new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
                    DataSize.ofMegabytes(64)), Clock.systemUTC()),
            body -> {
                compressedOn.set(Thread.currentThread().getName());
                return Gzip.compress(body);
            });

    /** Switches with IDs of this length (at most a query name's), one metric {@code a}. */
    private void publish(int switches, int idLength) {
        assertThat(idLength).isLessThanOrEqualTo(QueryParameters.MAX_PARAMETER_LENGTH);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < switches; i++) {
            ids.add(("sw-" + i + "-").repeat(idLength).substring(0, idLength));
        }
        long[] cells = new long[switches];
        byte[] kinds = new byte[switches];
        java.util.Arrays.fill(kinds, CellKind.INTEGER);
        store.publish(Table.of(List.of("a"), ids, cells, kinds, 0, 0), T0, T0, null);
    }

    private ServerResponse gzipRequest(String query) {
        MockServerRequest request = MockServerRequest.builder()
                .uri(URI.create("http://localhost/telemetry/ListMetrics?" + query))
                .header("Accept-Encoding", "gzip")
                .build();
        return handler.listMetrics(request).block(Duration.ofSeconds(30));
    }

    @Test
    void fewCellsWithLongNamesAreCompressedOffTheCallersThread() {
        publish(800, 256); // 800 cells (encoded inline), about 215 KB

        ServerResponse response = gzipRequest("metric=a");

        assertThat(response.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
        assertThat(response.headers().getContentLength()).isPositive();
        assertThat(compressedOn.get()).startsWith("boundedElastic-");
    }

    @Test
    void fewCellsWithLongNamesBeyondTheEncodingEstimateAreCompressedOffTheCallersThreadToo() {
        publish(6_000, 256); // 6,000 cells, about 1.6 MB: encoded off the caller's thread as well

        gzipRequest("metric=a");

        assertThat(compressedOn.get()).startsWith("boundedElastic-");
    }

    @Test
    void smallBodyIsCompressedAtOnce() {
        publish(3, 10);

        gzipRequest("metric=a");

        assertThat(compressedOn.get()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void compressionMovesOffTheEventLoopBySizeInBytes() {
        assertThat(TelemetryHandler.compressesInline(TelemetryHandler.INLINE_GZIP_BYTES, false)).isTrue();
        assertThat(TelemetryHandler.compressesInline(TelemetryHandler.INLINE_GZIP_BYTES + 1, false)).isFalse();
        // a kept body is compressed harder: off the event loop from a smaller size
        assertThat(TelemetryHandler.compressesInline(TelemetryHandler.INLINE_KEPT_GZIP_BYTES, true)).isTrue();
        assertThat(TelemetryHandler.compressesInline(TelemetryHandler.INLINE_KEPT_GZIP_BYTES + 1, true)).isFalse();
        assertThat(TelemetryHandler.INLINE_KEPT_GZIP_BYTES).isLessThan(TelemetryHandler.INLINE_GZIP_BYTES);
    }

    @Test
    void aKeptBodyBetweenTheKeptAndThePerRequestBoundsIsCompressedOffTheCallersThread() {
        AtomicReference<String> keptOn = new AtomicReference<>();
        TelemetryHandler service = new TelemetryHandler(
                new SnapshotAnswers(store, new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
                        DataSize.ofMegabytes(64)), Clock.systemUTC()),
                Gzip::compress,
                body -> {
                    keptOn.set(Thread.currentThread().getName());
                    return Gzip.compress(body);
                },
                ListMetricsFilter.Selection::body);
        publish(120, 256); // 120 cells, about 32 KB: over the kept bound, under the per-request one

        ServerResponse response = service.listMetrics(MockServerRequest.builder()
                .uri(URI.create("http://localhost/telemetry/ListMetrics?metric=a"))
                .header("Accept-Encoding", "gzip").build()).block(Duration.ofSeconds(30));

        assertThat(response.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
        assertThat(keptOn.get()).startsWith("boundedElastic-");
    }
}
