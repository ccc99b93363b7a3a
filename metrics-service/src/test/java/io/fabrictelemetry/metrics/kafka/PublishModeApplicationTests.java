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
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/** The application in {@code INGEST_MODE=publish}: a source in WireMock, the shared broker. */
@SpringBootTest(properties = {"ingest.mode=publish", "poll.interval=1h", "poll.timeout=30s", "stale.after=2h"})
@AutoConfigureWebTestClient
class PublishModeApplicationTests {

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
}
