package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.history.HistoryRecorder;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The derived {@code <counter>_per_second} metrics with the default {@code METRICS_COUNTERS}: in
 * every answer that lists metrics, and not in the Prometheus export.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class CounterRatesApiTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Autowired
    HistoryRecorder recorder;

    @Autowired
    MeterRegistry registry;

    Snapshot snapshot;

    /** Two snapshots 10 s apart: sw-0001's packet_errors 10 → 30 (2/s), sw-0002's 4 → 4, dropped_packets 50 → 5 (reset). */
    @BeforeEach
    void publish() {
        Instant sampledAt = Instant.now().minusMillis(1500);
        store.publish(table(10, 4, 50), sampledAt.minusSeconds(10), sampledAt.minusSeconds(10), "\"g-1\"");
        snapshot = store.publish(table(30, 4, 5), sampledAt, Instant.now(), "\"g-2\"");
    }

    private static Table table(long errors1, long errors2, long dropped2) {
        return Table.of(List.of("latency_us", "packet_errors", "dropped_packets"), List.of("sw-0001", "sw-0002"),
                new long[] {Double.doubleToRawLongBits(1.5), errors1, 0, 0, errors2, dropped2},
                new byte[] {CellKind.DECIMAL, CellKind.INTEGER, CellKind.INTEGER, CellKind.NONE, CellKind.INTEGER, CellKind.INTEGER},
                0, 0);
    }

    @Test
    void listMetricsAppendsTheRatesAfterTheGeneratorsColumnsInEverySwitch() {
        client.get().uri("/telemetry/ListMetrics").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains(
                        "\"metrics\":[\"latency_us\",\"packet_errors\",\"dropped_packets\",\"packet_errors_per_second\","
                                + "\"dropped_packets_per_second\"],\"switches\":{"
                                + "\"sw-0001\":{\"latency_us\":1.5,\"packet_errors\":30,\"dropped_packets\":0,"
                                + "\"packet_errors_per_second\":2.0,\"dropped_packets_per_second\":0.0},"
                                + "\"sw-0002\":{\"latency_us\":null,\"packet_errors\":4,\"dropped_packets\":5,"
                                + "\"packet_errors_per_second\":0.0,\"dropped_packets_per_second\":0.5}}"));
    }

    @Test
    void getMetricAnswersARate() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=packet_errors_per_second").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", snapshot.etag())
                .expectBody()
                .jsonPath("$.metric").isEqualTo("packet_errors_per_second")
                .jsonPath("$.value").isEqualTo(2.0);
    }

    @Test
    void topSwitchesRanksARate() {
        client.get().uri("/telemetry/TopSwitches?metric=dropped_packets_per_second").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.switches[*].switch").isEqualTo(List.of("sw-0002", "sw-0001"))
                .jsonPath("$.switches[0].value").isEqualTo(0.5);
    }

    @Test
    void filterSelectsARate() {
        client.get().uri("/telemetry/ListMetrics?metric=packet_errors_per_second&switch=sw-0001").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).endsWith(
                        "\"metrics\":[\"packet_errors_per_second\"],\"switches\":{\"sw-0001\":{\"packet_errors_per_second\":2.0}}}"));
    }

    @Test
    void historyOfARateEndsWithTheCurrentRate() {
        client.get().uri("/telemetry/GetMetricHistory?switch=sw-0002&metric=dropped_packets_per_second").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.points[-1:].value").isEqualTo(List.of(0.5));
    }

    @Test
    void unknownMetricListsTheRatesAmongTheValidOnes() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=jitter").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.validMetrics").isEqualTo(List.of("latency_us", "packet_errors",
                        "dropped_packets", "packet_errors_per_second", "dropped_packets_per_second"));
    }

    @Test
    void prometheusExportLeavesTheRatesToPrometheus() {
        client.get().uri("/telemetry/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("fabric_packet_errors_total{switch=\"sw-0001\"} 30.0")
                        .doesNotContain("per_second"));
    }
    /**
     * The same generation accepted again (the generator's corrupt fault: a damaged body, then the
     * intact one under another ETag, with the same sampledAt): GetMetric keeps the rate, and
     * GetMetricHistory, which keeps the generation once, shows that same rate at that sampledAt.
     */
    @Test
    void sameGenerationAcceptedAgainKeepsTheRateInGetMetricAndInHistory() {
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.query("sw-0001", "packet_errors_per_second",
                Long.MIN_VALUE).stream().anyMatch(point -> point.sequence() == snapshot.sequence()));
        long appends = registry.timer("fabric.history.append").count();

        Snapshot again = store.publish(table(30, 4, 5), snapshot.sampledAt(), Instant.now(), "\"g-2-again\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> registry.timer("fabric.history.append").count() > appends);

        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=packet_errors_per_second").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", again.etag())
                .expectBody().jsonPath("$.value").isEqualTo(2.0);
        String at = TimeFormat.iso(snapshot.sampledAt());
        client.get().uri("/telemetry/GetMetricHistory?switch=sw-0001&metric=packet_errors_per_second").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.points[?(@.sampledAt == '" + at + "')].value").isEqualTo(List.of(2.0))
                .jsonPath("$.points[-1:].sampledAt").isEqualTo(List.of(at));
    }
}
