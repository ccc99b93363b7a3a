package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.PayloadTopic;

/** The fixture itself: a record written with the shared format comes back, bytes and headers intact. */
class KafkaTestBrokerTests {

    @Test
    void aPayloadRecordWrittenToTheSharedBrokerIsReadBackWithItsOffset() throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("fixture");
        PayloadTopic.Requirements required = PayloadTopic.Requirements.of(topic, Duration.ofMinutes(15), 1_000_000);
        byte[] body = "switch_id,x\nsw-1,1\n".getBytes(StandardCharsets.UTF_8);
        var payload = new PayloadRecords.Payload("src", body, null, Instant.parse("2026-12-07T09:00:00Z"), "text/csv", null);
        RecordMetadata written;
        try (var producer = new KafkaProducer<byte[], byte[]>(
                PayloadTopic.producerConfig(bootstrap, "fixture-test", required, Duration.ofSeconds(30)))) {
            written = producer.send(PayloadRecords.record(topic, payload)).get();
        }
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).offset()).isEqualTo(written.offset());
        assertThat(records.get(0).value()).isEqualTo(body);
        assertThat(PayloadRecords.read(records.get(0)).collectedAt()).isEqualTo(payload.collectedAt());
        assertThat(KafkaTestBroker.records(bootstrap, KafkaTestBroker.topic("absent"))).isEmpty();
    }
}
