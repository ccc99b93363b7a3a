package io.fabrictelemetry.generator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.conventions.PayloadRecords;

/**
 * GENERATOR_PUBLISH=kafka against a real broker in the test JVM: each generation is a record whose value
 * is exactly what {@code /counters} serves for that generation, with its sample time and ETag.
 */
@SpringBootTest(properties = {"generator.switches=5", "generator.ports-per-switch=2", "generator.period=1s",
        "generator.publish=kafka", "kafka.topic=" + GenerationPublisherKafkaTests.TOPIC,
        "source.name=fabric-under-test", "kafka.max-block=2s"})
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class GenerationPublisherKafkaTests {

    static final String TOPIC = "generator-push-test";
    private static final EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);

    @Autowired
    WebTestClient client;
    @Autowired
    GenerationPublisher publisher;

    private KafkaConsumer<byte[], byte[]> consumer;
    /** Every record read so far, by source-etag. */
    private final Map<String, ConsumerRecord<byte[], byte[]>> records = new LinkedHashMap<>();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("kafka.bootstrap-servers", broker::getBrokersAsString);
    }

    static {
        // before the context, whose publisher sends generation 1 as it starts
        broker.afterPropertiesSet();
    }

    @AfterAll
    void stop() {
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
        // the publisher first (it sends until stopped), then its broker; the context closes after the class
        publisher.stop();
        publisher.destroy();
        broker.destroy();
    }

    @Test
    void eachGenerationIsARecordHoldingTheBytesCountersServesWithItsSampleTimeAndETag() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        TopicPartition partition = new TopicPartition(TOPIC, PayloadRecords.PARTITION);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));

        // the generation /counters serves now, and its record (a generation stays current for a period:
        // when its record is not read yet, the next round asks /counters again)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            EntityExchangeResult<byte[]> counters = client.get().uri("/counters").exchange()
                    .expectStatus().isOk().expectBody(byte[].class).returnResult();
            String etag = counters.getResponseHeaders().getETag();
            read();
            assertThat(records).containsKey(etag);
            ConsumerRecord<byte[], byte[]> record = records.get(etag);
            assertThat(record.value()).isEqualTo(counters.getResponseBody());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("fabric-under-test");
            assertThat(PayloadRecords.text(record.headers(), PayloadRecords.SAMPLED_AT))
                    .isEqualTo(counters.getResponseHeaders().getFirst("X-Sampled-At"));
            assertThat(PayloadRecords.text(record.headers(), PayloadRecords.CONTENT_TYPE))
                    .isEqualTo("text/csv;charset=utf-8");
            assertThat(PayloadRecords.text(record.headers(), PayloadRecords.COLLECTED_AT)).isNotNull();
            // and it is a payload the consumers accept
            assertThat(PayloadRecords.read(record).sourceEtag()).isEqualTo(etag);
        });

        // every period another generation: records of later generations keep coming, newer each time
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            read();
            assertThat(records).hasSizeGreaterThanOrEqualTo(4);
        });
        List<Instant> sampled = new ArrayList<>();
        records.values().forEach(record -> sampled.add(PayloadRecords.read(record).sampledAt()));
        assertThat(sampled).isSorted().doesNotHaveDuplicates();
    }

    private void read() {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            records.put(PayloadRecords.text(record.headers(), PayloadRecords.SOURCE_ETAG), record);
        }
    }
}
