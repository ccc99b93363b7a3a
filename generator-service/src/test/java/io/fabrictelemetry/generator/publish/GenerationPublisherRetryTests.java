package io.fabrictelemetry.generator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import kafka.server.BrokerServer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.generator.simulation.CsvBody;
import io.fabrictelemetry.generator.simulation.Generation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Sinks;

/**
 * A generation the broker did not take is sent again while it is the newest: with the generator's
 * period of an hour, a broker away for a few seconds must not leave the topic without that hour's
 * generation. A real broker in this JVM, stopped and started on the same address.
 */
class GenerationPublisherRetryTests {

    private static final String TOPIC = "generator-push-retry";

    private final EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    private final Sinks.Many<Generation> generations = Sinks.many().replay().latest();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private GenerationPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
            publisher.destroy();
        }
        broker.destroy();
    }

    @Test
    void aGenerationTheBrokerDidNotTakeIsPublishedWhenItIsBackWithoutANewerGeneration() {
        broker.brokerListProperty("fabric.test.kafka.generator-retry-broker");
        broker.afterPropertiesSet();
        String bootstrap = broker.getBrokersAsString();
        publisher = new GenerationPublisher(new PushSettings(bootstrap, TOPIC, "fabric", false, Duration.ofSeconds(2)),
                generations.asFlux(), Clock.systemUTC(), registry);
        publisher.start();
        generations.tryEmitNext(generation(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> etags(bootstrap).contains("\"g-1\""));

        BrokerServer server = broker.getCluster().brokers().values().iterator().next();
        server.shutdown();
        server.awaitShutdown();
        generations.tryEmitNext(generation(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> failures() >= 1);

        server.startup();
        // no generation 3: generation 2 is sent again until the broker takes it
        await().atMost(Duration.ofSeconds(90)).until(() -> etags(bootstrap).contains("\"g-2\""));
        // in this order; a copy of an attempt whose acknowledgement timed out may stand next to its retry
        assertThat(etags(bootstrap).stream().distinct().toList()).containsExactly("\"g-1\"", "\"g-2\"");
    }

    private static Generation generation(long number) {
        byte[] csv = ("switch_id,latency_us\nsw-0001," + number + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] ports = "Port,Node_GUID\n".getBytes(StandardCharsets.UTF_8);
        return new Generation(number, Instant.parse("2026-12-07T10:00:00Z").plusSeconds(3600 * number),
                "\"g-" + number + "\"", csv, 0, "\"g-" + number + "-ports\"", new CsvBody(ports, ports.length), 0);
    }

    private double failures() {
        return registry.get("fabric.generator.publish.failures").counter().count();
    }

    /** The source-etag of every record in the topic, in order. */
    private static List<String> etags(String bootstrap) {
        List<String> etags = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            if (consumer.partitionsFor(TOPIC, Duration.ofSeconds(10)).isEmpty()) {
                return etags;
            }
            TopicPartition partition = new TopicPartition(TOPIC, PayloadRecords.PARTITION);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
            while (consumer.position(partition, Duration.ofSeconds(10)) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    etags.add(PayloadRecords.text(record.headers(), PayloadRecords.SOURCE_ETAG));
                }
            }
        } catch (RuntimeException e) {
            // the broker is away: nothing readable yet
        }
        return etags;
    }
}
