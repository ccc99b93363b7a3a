package io.fabrictelemetry.metrics.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.PayloadTopic;

/**
 * Writes payload records in the contract's format with a plain producer (as a second publisher, or
 * a faulty one, would), and creates topics as a publisher does.
 */
final class PayloadAppender implements AutoCloseable {

    /** Enough for a 100,000-switch payload. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String servers;
    private final KafkaProducer<byte[], byte[]> producer;

    PayloadAppender(String servers) {
        this.servers = servers;
        this.producer = new KafkaProducer<>(PayloadTopic.producerConfig(servers, "test-appender",
                requirements("any"), TIMEOUT));
    }

    static PayloadTopic.Requirements requirements(String topic) {
        return PayloadTopic.Requirements.of(topic, Duration.ofMinutes(15), MAX_PAYLOAD);
    }

    /** Creates {@code topic} as a publisher would (one partition, retention, message size for 100k switches). */
    void createTopic(String topic) {
        try (Admin admin = Admin.create(PayloadTopic.adminConfig(servers, "test-admin", TIMEOUT))) {
            PayloadTopic.ensure(admin, requirements(topic), TIMEOUT);
        }
    }

    /** Deletes {@code topic} and returns once the broker no longer lists it. */
    void deleteTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(PayloadTopic.adminConfig(servers, "test-admin", TIMEOUT))) {
            admin.deleteTopics(java.util.List.of(topic)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> !admin.listTopics().names()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).contains(topic));
        }
    }

    /** Appends a payload record collected now; returns its offset. */
    long append(String topic, String source, String csv, Instant sampledAt, String sourceEtag) throws Exception {
        return append(PayloadRecords.record(topic, new PayloadRecords.Payload(source,
                csv.getBytes(StandardCharsets.UTF_8), sampledAt, Instant.now(), "text/csv", sourceEtag)));
    }

    /** Appends any record (garbage too); returns its offset. */
    long append(ProducerRecord<byte[], byte[]> record) throws Exception {
        return producer.send(record).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).offset();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
