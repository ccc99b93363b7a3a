package io.fabrictelemetry.metrics.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.fabrictelemetry.conventions.tracing.TracingConfiguration;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * The application in {@code INGEST_MODE=publish}: a source in WireMock, the shared broker; spans
 * collected in memory.
 */
@SpringBootTest(properties = {"ingest.mode=publish", "poll.interval=1h", "poll.timeout=30s", "stale.after=2h",
        "management.opentelemetry.tracing.export.schedule-delay=50ms"})
@AutoConfigureWebTestClient
@AutoConfigureTracing
class PublishModeApplicationTests {

    @TestConfiguration(proxyBeanMethods = false)
    static class Spans {
        @Bean
        InMemorySpanExporter inMemorySpans() {
            return InMemorySpanExporter.create();
        }
    }

    @Autowired
    InMemorySpanExporter spans;

    private static final String CSV = "switch_id,latency_us\r\nsw-0001,1.5\r\n";
    private static final String TOPIC = KafkaTestBroker.topic("app");

    // not the JUnit extension, which resets its stubs before each test: the one poll is at the context's start
    private static final WireMockServer source = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

    @AfterAll
    static void stopSource() {
        source.stop();
    }

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        source.start();
        source.stubFor(get(urlEqualTo("/counters")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv").withHeader("ETag", "\"g-1\"")
                .withHeader("X-Sampled-At", "2026-12-07T09:00:00.000Z").withBody(CSV)));
        registry.add("generator.url", () -> "http://127.0.0.1:" + source.port());
        registry.add("kafka.bootstrap-servers", KafkaTestBroker::shared);
        registry.add("kafka.topic", () -> TOPIC);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Test
    void thePolledPayloadIsPublishedAndServedUnderItsOffsetsSequenceAndEtagWithKafkaHealthUp() {
        await().atMost(Duration.ofSeconds(60)).until(() -> store.current() != null);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(KafkaTestBroker.shared(), TOPIC);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).key()).isEqualTo(("127.0.0.1:" + source.port() + "/counters")
                .getBytes(StandardCharsets.UTF_8));
        client.get().uri("/telemetry/ListMetrics").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", "\"k-" + TOPIC + "-0-0\"")
                .expectBody().jsonPath("$.sequence").isEqualTo(1);
        client.get().uri("/actuator/health").exchange()
                .expectBody()
                .jsonPath("$.components.kafka.status").isEqualTo("UP")
                .jsonPath("$.components.kafka.details.topic").isEqualTo(TOPIC)
                .jsonPath("$.components.kafka.details.lastOffset").isEqualTo(0);
        client.get().uri("/actuator/prometheus").exchange()
                .expectBody(String.class).value(text -> assertThat(text)
                        .contains("fabric_kafka_publish_failures_total{reason=\"timeout\"} 0.0")
                        .contains("fabric_kafka_published_records_total 1.0"));
    }

    @Test
    void theKafkaAppendAndTheSnapshotsBuildAreChildrenOfThePollsPublishSpan() {
        await().atMost(Duration.ofSeconds(60)).until(() -> store.current() != null);
        List<SpanData> trace = await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<SpanData> finished = spans.getFinishedSpanItems();
            return finished.stream().filter(span -> span.getName().equals(TracingConfiguration.POLL_SPAN)).findFirst()
                    .map(root -> finished.stream().filter(span -> span.getTraceId().equals(root.getTraceId())).toList())
                    .orElse(List.of());
        }, found -> found.stream().map(SpanData::getName).toList()
                .containsAll(List.of("fabric.poll.publish", KafkaPublisher.PUBLISH_SPAN, SnapshotStore.BUILD_SPAN)));
        SpanData publish = named(trace, "fabric.poll.publish");
        SpanData append = named(trace, KafkaPublisher.PUBLISH_SPAN);
        assertThat(append.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(append.getAttributes().get(AttributeKey.stringKey("messaging.destination.name"))).isEqualTo(TOPIC);
        assertThat(append.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))).isEqualTo(0L);
        SpanData build = named(trace, SnapshotStore.BUILD_SPAN);
        assertThat(build.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(build.getStartEpochNanos()).as("built once the broker acknowledged")
                .isGreaterThanOrEqualTo(append.getEndEpochNanos());
    }

    private static SpanData named(List<SpanData> trace, String name) {
        return trace.stream().filter(span -> span.getName().equals(name)).findFirst().orElseThrow();
    }
}
