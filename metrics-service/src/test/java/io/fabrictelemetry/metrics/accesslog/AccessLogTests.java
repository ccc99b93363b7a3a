package io.fabrictelemetry.metrics.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * One access-log line per request, on standard output (through the batching appender of
 * logback-spring.xml): request ID, method, path with query, status and duration.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class AccessLogTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @BeforeEach
    void publish() {
        store.publish(Table.of(List.of("latency_us"), List.of("sw-0001"), new long[] {7}, new byte[] {CellKind.INTEGER},
                0, 0), Instant.now(), Instant.now(), null);
    }

    @Test
    void everyRequestGetsOneLineWithItsIdPathStatusAndDuration(CapturedOutput output) {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").header("X-Request-Id", "access-test-1")
                .exchange().expectStatus().isOk();
        client.get().uri("/telemetry/GetMetric?switch=sw-9999&metric=latency_us").header("X-Request-Id", "access-test-2")
                .exchange().expectStatus().isNotFound();
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().lines().anyMatch(
                line -> line.matches(".* access +: access-test-1 GET /telemetry/GetMetric\\?switch=sw-0001&metric=latency_us 200 \\d+ms")));
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().lines().anyMatch(
                line -> line.matches(".* access +: access-test-2 GET /telemetry/GetMetric\\?switch=sw-9999&metric=latency_us 404 \\d+ms")));
        // lines are written in order: once a later request's line is out, a second line for either
        // of the first two would be too
        client.get().uri("/telemetry/ListMetrics").header("X-Request-Id", "access-test-3").exchange()
                .expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains(" access-test-3 GET /telemetry/ListMetrics 200 "));
        assertThat(output.getOut().lines().filter(line -> line.contains(" access-test-1 "))).hasSize(1);
        assertThat(output.getOut().lines().filter(line -> line.contains(" access-test-2 "))).hasSize(1);
    }
}
