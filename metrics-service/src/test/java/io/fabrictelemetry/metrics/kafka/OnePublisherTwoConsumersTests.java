package io.fabrictelemetry.metrics.kafka;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.TimeFormat;

/**
 * One publisher ({@code INGEST_MODE=publish}, polling a source in WireMock) and two consumers
 * ({@code INGEST_MODE=consume}, one started before the payloads, one after) on a topic of their own
 * on the test JVM's shared broker: all three give the same answers, byte for byte.
 */
class OnePublisherTwoConsumersTests {

    static final Duration WAIT = Duration.ofSeconds(60);

    static final WireMockServer source = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    static String topic;
    static Replica publisher;
    static Replica early;

    @BeforeAll
    static void start() {
        source.start();
        serve(1);
        topic = KafkaTestBroker.topic("replicas");
        publisher = Replica.start(Map.of("ingest.mode", "publish", "kafka.bootstrap-servers", KafkaTestBroker.shared(),
                "kafka.topic", topic, "generator.url", "http://127.0.0.1:" + source.port(),
                "poll.interval", "2s", "poll.timeout", "1900ms"));
        early = Replica.consumer(KafkaTestBroker.shared(), topic);
    }

    @AfterAll
    static void stop() {
        for (Replica replica : new Replica[] {early, publisher}) {
            if (replica != null) {
                replica.close();
            }
        }
        source.stop();
    }

    static final Instant BASE = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.MILLIS);

    /** The source's generation {@code n}: a 200 with its ETag, and a 304 to a poll that has it. */
    static void serve(int n) {
        String etag = "\"g-" + n + "\"";
        source.resetAll();
        source.stubFor(get("/counters").atPriority(1).withHeader("If-None-Match", equalTo(etag))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", etag)));
        source.stubFor(get("/counters").atPriority(2).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv").withHeader("ETag", etag)
                .withHeader("X-Sampled-At", TimeFormat.iso(BASE.plusSeconds(10L * n)))
                .withBody("switch_id,latency_us,rx_bytes\r\nsw-1," + n + ".25," + (1000L * n * n) + "\r\nsw-2,3.5,"
                        + (700L * n) + "\r\n")));
    }

    @Test
    void aPublisherAndTwoConsumersServeByteIdenticalAnswersWithTheSameEtagsAndSequences() throws Exception {
        await().atMost(WAIT).until(() -> publisher.sequence() == 1);
        serve(2);
        await().atMost(WAIT).until(() -> publisher.sequence() == 2);
        serve(3);
        await().atMost(WAIT).until(() -> publisher.sequence() == 3);

        try (Replica late = Replica.consumer(KafkaTestBroker.shared(), topic)) {
            for (Replica consumer : List.of(early, late)) {
                await().atMost(WAIT).until(() -> consumer.sequence() == 3);
            }
            HttpResponse<byte[]> reference = publisher.get("/telemetry/ListMetrics");
            assertThat(reference.statusCode()).isEqualTo(200);
            String etag = reference.headers().firstValue("ETag").orElseThrow();
            assertThat(etag).isEqualTo(PayloadRecords.etag(topic, 0, 2));
            for (Replica consumer : List.of(early, late)) {
                HttpResponse<byte[]> answer = consumer.get("/telemetry/ListMetrics");
                assertThat(answer.body()).isEqualTo(reference.body());
                assertThat(answer.headers().firstValue("ETag")).contains(etag);
                // a tag one replica issued holds on every other
                assertThat(consumer.get("/telemetry/ListMetrics", "If-None-Match", etag).statusCode()).isEqualTo(304);
                for (String target : List.of("/telemetry/GetMetric?switch=sw-1&metric=rx_bytes_per_second",
                        "/telemetry/GetMetricHistory?switch=sw-1&metric=rx_bytes_per_second",
                        "/telemetry/GetMetricHistory?switch=sw-2&metric=latency_us")) {
                    assertThat(consumer.text(target)).as(target).isEqualTo(publisher.text(target));
                }
            }
            assertThat(late.text("/telemetry/GetMetricHistory?switch=sw-1&metric=rx_bytes_per_second"))
                    .contains(TimeFormat.iso(BASE.plusSeconds(30)));
        }
    }
}
