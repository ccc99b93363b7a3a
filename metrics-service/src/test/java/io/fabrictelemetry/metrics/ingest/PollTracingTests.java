package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.sun.net.httpserver.HttpServer;

import io.fabrictelemetry.conventions.tracing.TracingConfiguration;
import io.fabrictelemetry.metrics.history.HistoryRecorder;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Every poll is a trace, recorded whatever the sampling probability of API requests (0 here, the
 * default): spans are collected by an in-memory exporter, and a stand-in generator records the
 * {@code traceparent} each poll sends it. No OTLP endpoint is configured, so nothing else receives them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=300ms", "poll.timeout=250ms", "stale.after=1h",
        "management.opentelemetry.tracing.export.schedule-delay=50ms"})
@AutoConfigureTracing
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class PollTracingTests {

    private static final String CSV = "switch_id,latency_us\nsw-0001,7\nsw-0002,9\n";
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-01");
    private static final Queue<String> traceparents = new ConcurrentLinkedQueue<>();
    private static final HttpServer generator = stubGenerator();

    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {
        @Bean
        InMemorySpanExporter inMemorySpans() {
            return InMemorySpanExporter.create();
        }
    }

    /** Serves one payload with ETag "g1"; answers 304 to If-None-Match "g1". Records each traceparent. */
    private static HttpServer stubGenerator() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/counters", exchange -> {
                String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
                traceparents.add(traceparent == null ? "none" : traceparent);
                exchange.getResponseHeaders().set("ETag", "\"g1\"");
                if ("\"g1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    exchange.sendResponseHeaders(304, -1);
                } else {
                    byte[] body = CSV.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/csv");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void generator(DynamicPropertyRegistry registry) {
        registry.add("generator.url", () -> "http://127.0.0.1:" + generator.getAddress().getPort());
    }

    @AfterAll
    static void stopGenerator() {
        generator.stop(0);
    }

    @Autowired
    InMemorySpanExporter spans;

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    private SpanData poll(String outcome) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(TracingConfiguration.POLL_SPAN)
                        && outcome.equals(span.getAttributes().get(AttributeKey.stringKey("fabric.poll.outcome"))))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    /** The spans of one trace, once all of {@code names} are among them. */
    private List<SpanData> trace(String traceId, String... names) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                        .filter(span -> span.getTraceId().equals(traceId)).toList(),
                found -> found.stream().map(SpanData::getName).toList().containsAll(List.of(names)));
    }

    private static SpanData named(List<SpanData> trace, String name) {
        return trace.stream().filter(span -> span.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aPollIsATraceWhoseRootSaysWhatTheGeneratorSentAndWhoseChildrenAreItsSteps() {
        SpanData root = poll("success");
        assertThat(root.getParentSpanContext().isValid()).as("the poll starts its own trace").isFalse();
        assertThat(root.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(root.getAttributes().get(AttributeKey.longKey("fabric.poll.bytes"))).isEqualTo((long) CSV.length());
        assertThat(root.getAttributes().get(AttributeKey.booleanKey("fabric.poll.etag_match"))).isFalse();

        List<SpanData> trace = trace(root.getTraceId(), PollSpans.FETCH, PollSpans.PARSE, PollSpans.PUBLISH);
        for (String step : List.of(PollSpans.FETCH, PollSpans.PARSE, PollSpans.PUBLISH)) {
            assertThat(named(trace, step).getParentSpanId()).as(step).isEqualTo(root.getSpanId());
        }
        SpanData publish = named(trace, PollSpans.PUBLISH);
        assertThat(named(trace(root.getTraceId(), SnapshotStore.BUILD_SPAN), SnapshotStore.BUILD_SPAN).getParentSpanId())
                .as("the snapshot's build, a child of the publish").isEqualTo(publish.getSpanId());
        assertThat(named(trace(root.getTraceId(), HistoryRecorder.APPEND_SPAN), HistoryRecorder.APPEND_SPAN)
                .getParentSpanId()).as("the history append of the published snapshot").isEqualTo(publish.getSpanId());
        SpanData fetch = named(trace, PollSpans.FETCH);
        assertThat(trace).filteredOn(span -> span.getKind() == SpanKind.CLIENT)
                .as("WebClient's exchange, a child of the fetch")
                .singleElement().satisfies(client -> assertThat(client.getParentSpanId()).isEqualTo(fetch.getSpanId()));
    }

    @Test
    void theGeneratorReceivesTheTraceparentOfThePollsClientSpan() {
        SpanData root = poll("success");
        List<SpanData> trace = trace(root.getTraceId(), PollSpans.FETCH);
        SpanData client = await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(root.getTraceId()) && span.getKind() == SpanKind.CLIENT)
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(trace).isNotEmpty();
        assertThat(traceparents).anySatisfy(header -> {
            Matcher matcher = TRACEPARENT.matcher(header);
            assertThat(matcher.matches()).as("a sampled W3C traceparent: %s", header).isTrue();
            assertThat(matcher.group(1)).isEqualTo(root.getTraceId());
            assertThat(matcher.group(2)).isEqualTo(client.getSpanId());
        });
    }

    @Test
    void aPollAnsweredNotModifiedSaysTheEtagMatched() {
        SpanData root = poll("not_modified");
        assertThat(root.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(304L);
        assertThat(root.getAttributes().get(AttributeKey.booleanKey("fabric.poll.etag_match"))).isTrue();
        assertThat(trace(root.getTraceId(), PollSpans.FETCH)).extracting(SpanData::getName)
                .doesNotContain(PollSpans.PARSE, PollSpans.PUBLISH);
    }

    @Test
    void thePollDurationHistogramCarriesExemplarsPointingAtPollTraces() {
        SpanData succeeded = poll("not_modified");
        String exposition = client.get().uri("/actuator/prometheus")
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        Matcher exemplar = Pattern.compile("fabric_ingest_poll_duration_seconds_bucket\\{[^}]*} \\S+ # "
                + "\\{span_id=\"([0-9a-f]{16})\",trace_id=\"([0-9a-f]{32})\"}").matcher(exposition);
        List<String> exemplars = new java.util.ArrayList<>();
        while (exemplar.find()) {
            exemplars.add(exemplar.group(2) + "/" + exemplar.group(1));
        }
        // a successful poll's root span (the fast buckets; polls cut short at startup by the timeout fill the slow ones)
        List<String> successfulPolls = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(TracingConfiguration.POLL_SPAN) && List.of("success", "not_modified")
                        .contains(span.getAttributes().get(AttributeKey.stringKey("fabric.poll.outcome"))))
                .map(span -> span.getTraceId() + "/" + span.getSpanId()).toList();
        assertThat(succeeded).isNotNull();
        assertThat(exemplars).as("exemplars of the poll duration buckets in:%n%s", exposition)
                .containsAnyElementsOf(successfulPolls);
    }

    @Test
    void apiRequestsAreNotTracedAtTheDefaultProbabilityEvenWithASampledTraceparent(CapturedOutput output) {
        poll("success");
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us")
                .header("X-Request-Id", "untraced-1")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().contains("untraced-1 GET"));
        assertThat(output.getOut().lines().filter(line -> line.contains("untraced-1 GET")))
                .singleElement().satisfies(line -> assertThat(line).doesNotContain("trace="));
        assertThat(spans.getFinishedSpanItems()).noneMatch(span -> span.getKind() == SpanKind.SERVER
                || span.getTraceId().equals("0af7651916cd43dd8448eb211c80319c"));
    }

    @Test
    void withoutAnOtlpEndpointNoSpanGoesAnywhereButTheTestsOwnExporter() {
        poll("success");
        assertThat(context.getBeanProvider(OtlpHttpSpanExporter.class).getIfAvailable()).isNull();
        Map<String, SpanExporter> exporters = context.getBeansOfType(SpanExporter.class);
        assertThat(exporters.values()).containsExactly(spans);
    }
}
