package io.fabrictelemetry.metrics.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.conventions.tracing.TracingConfiguration;
import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code TRACING_SAMPLING_PROBABILITY=1} every API request is a server span, continuing the
 * caller's {@code traceparent}; its access-log line ends with the trace ID, and the JSON logs
 * ({@code json-logs} profile) carry the trace ID of the access line and of the poll's log lines.
 */
@SpringBootTest(properties = {"poll.interval=500ms", "poll.timeout=400ms", "stale.after=2h",
        // every failed poll says so (the first at WARN, the next at DEBUG), so that a test sees a poll's line
        // written while it runs, not only the first one written as the context started
        "logging.level.io.fabrictelemetry.metrics.ingest.PollLoop=debug",
        "tracing.sampling-probability=1", "management.opentelemetry.tracing.export.schedule-delay=50ms"})
@AutoConfigureTracing
@AutoConfigureWebTestClient
@ActiveProfiles("json-logs")
@ExtendWith(OutputCaptureExtension.class)
class SampledRequestTracingTests {

    private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final JsonMapper json = JsonMapper.builder().build();

    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {
        @Bean
        InMemorySpanExporter inMemorySpans() {
            return InMemorySpanExporter.create();
        }
    }

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void publish() {
        store.publish(Table.of(List.of("latency_us"), List.of("sw-0001"), new long[] {7}, new byte[] {CellKind.INTEGER},
                0, 0), Instant.now(), Instant.now(), null);
    }

    private static Optional<JsonNode> jsonLine(CapturedOutput output, String contains) {
        return output.getOut().lines().filter(line -> line.startsWith("{") && line.contains(contains))
                .map(json::readTree).findFirst();
    }

    @Test
    void aSampledRequestIsAServerSpanOfTheCallersTraceAndItsAccessLineSaysTheTraceId(CapturedOutput output) {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us")
                .header("X-Request-Id", "traced-1")
                .header("traceparent", "00-" + CALLER_TRACE + "-b7ad6b7169203331-01")
                .exchange().expectStatus().isOk();

        SpanData server = await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(CALLER_TRACE)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getName()).isEqualTo("GET /telemetry/GetMetric");
        assertThat(server.getParentSpanId()).isEqualTo("b7ad6b7169203331");

        JsonNode access = await().atMost(Duration.ofSeconds(60)).until(() -> jsonLine(output, "traced-1 GET"),
                Optional::isPresent).orElseThrow();
        assertThat(access.get("message").asString()).endsWith(" trace=" + CALLER_TRACE);
        assertThat(access.toString()).as("the JSON line carries the trace ID as a field").contains(
                "\"traceId\":\"" + CALLER_TRACE + "\"");
    }

    @Test
    void aTracedRequestIsOneSpanAndOneTimerRecordingNoObservationAddsAnother() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").exchange().expectStatus().isOk();
        Timer timer = registry.find("http.server.requests").tag("uri", "/telemetry/GetMetric").tag("status", "200").timer();
        long before = timer == null ? 0 : timer.count();
        String caller = "1af7651916cd43dd8448eb211c80319d";
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us")
                .header("traceparent", "00-" + caller + "-b7ad6b7169203331-01")
                .exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(span -> span.getTraceId().equals(caller)));
        assertThat(registry.find("http.server.requests").tag("uri", "/telemetry/GetMetric").tag("status", "200")
                .timer().count()).isEqualTo(before + 1);
        assertThat(spans.getFinishedSpanItems()).filteredOn(span -> span.getTraceId().equals(caller)).hasSize(1);
    }

    @Test
    void aRequestWithoutTraceparentStartsATraceOfItsOwnAtProbabilityOne(CapturedOutput output) {
        client.get().uri("/telemetry/ListMetrics").header("X-Request-Id", "traced-2").exchange().expectStatus().isOk();
        JsonNode access = await().atMost(Duration.ofSeconds(60)).until(() -> jsonLine(output, "traced-2 GET"),
                Optional::isPresent).orElseThrow();
        String traceId = access.get("message").asString().replaceAll(".* trace=", "");
        assertThat(traceId).matches("[0-9a-f]{32}");
        await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(span -> span.getKind() == SpanKind.SERVER && span.getTraceId().equals(traceId)
                        && span.getName().equals("GET /telemetry/ListMetrics")));
    }

    @Test
    void thePollsLogLinesCarryThePollsTraceId(CapturedOutput output) {
        // nothing listens at the generator's port: every poll fails and says so (WARN, then DEBUG)
        JsonNode failed = await().atMost(Duration.ofSeconds(60)).until(() -> jsonLine(output, "/counters failed"),
                Optional::isPresent).orElseThrow();
        assertThat(failed.has("traceId")).as("the poll's line carries a trace ID: %s", failed).isTrue();
        String traceId = failed.get("traceId").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(span -> span.getName().equals(TracingConfiguration.POLL_SPAN)
                        && span.getTraceId().equals(traceId)));
    }
}
