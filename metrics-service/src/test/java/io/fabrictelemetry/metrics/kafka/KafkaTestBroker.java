package io.fabrictelemetry.metrics.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.fabrictelemetry.conventions.PayloadRecords;
import kafka.server.BrokerServer;

/**
 * A real KRaft broker inside the test JVM, for every Kafka test (never a mock of the client).
 *
 * <ul>
 * <li>{@link #shared()}: one broker for the whole test JVM (surefire runs every test class in one),
 *     started on first use (about 3 s), stopped when the JVM exits. Each test class or test takes
 *     topics of its own ({@link #topic}), so tests never see each other's records.</li>
 * <li>{@link #own()}: a broker of one's own, for a test that stops it and starts it again:
 *     {@link #restartable} gives its broker server, whose {@code shutdown()} + {@code awaitShutdown()}
 *     and {@code startup()} stop and start it on the same address with its log kept (the controller
 *     stays up). {@code destroy()} it at the end. (spring-kafka-test 4.0.6 ignores
 *     {@code kafkaPorts(...)}: a broker destroyed and made again would listen elsewhere.)</li>
 * <li>{@link #unreachable()}: a bootstrap address where nothing listens.</li>
 * <li>{@link #records}: what a topic's partition holds, read as a consumer replica would
 *     (assigned, no consumer group, from the beginning up to the end offset read first).</li>
 * </ul>
 */
public final class KafkaTestBroker {

    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static EmbeddedKafkaKraftBroker shared;

    private KafkaTestBroker() {
    }

    /** The shared broker's bootstrap address ({@code 127.0.0.1:port}). */
    public static synchronized String shared() {
        if (shared == null) {
            EmbeddedKafkaKraftBroker broker = started(new EmbeddedKafkaKraftBroker(1, 1));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "kafka-test-broker-stop"));
            shared = broker;
        }
        return shared.getBrokersAsString();
    }

    /** A started broker of the caller's own; the caller destroys it. */
    public static EmbeddedKafkaKraftBroker own() {
        return started(new EmbeddedKafkaKraftBroker(1, 1));
    }

    /** The broker server of {@code broker}: shut it down and start it up again on the same address. */
    public static BrokerServer restartable(EmbeddedKafkaKraftBroker broker) {
        return broker.getCluster().brokers().values().iterator().next();
    }

    private static EmbeddedKafkaKraftBroker started(EmbeddedKafkaKraftBroker broker) {
        // the broker sets this system property (default spring.kafka.bootstrap-servers) to its address:
        // keep it out of the way of anything Spring Boot reads (several brokers may live in one JVM)
        broker.brokerListProperty("fabric.test.kafka.last-started-broker");
        broker.afterPropertiesSet();
        return broker;
    }

    /** A topic name no other test uses. */
    public static String topic(String prefix) {
        return prefix + "-" + TOPICS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A TCP port free at the time of the call. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bootstrap address where nothing listens. */
    public static String unreachable() {
        return "127.0.0.1:" + freePort();
    }

    /**
     * Every record of partition {@value PayloadRecords#PARTITION} of {@code topic} up to its end
     * offset at the time of the call (none when the topic does not exist).
     */
    public static List<ConsumerRecord<byte[], byte[]>> records(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 256 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            if (consumer.partitionsFor(topic, Duration.ofSeconds(30)).isEmpty()) {
                return records;
            }
            TopicPartition partition = new TopicPartition(topic, PayloadRecords.PARTITION);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("records of " + topic + " not read up to offset " + end + " in 30 s");
                }
                consumer.poll(Duration.ofMillis(500)).records(partition).forEach(records::add);
            }
        }
        return records;
    }
}
