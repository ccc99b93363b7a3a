package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadTopic;

/** The publisher's short read between two offsets, against the shared broker. */
class LogReaderTests {

    private static String topicWithFourRecords(String bootstrap) throws Exception {
        String topic = KafkaTestBroker.topic("reader");
        PayloadTopic.Requirements required = PayloadTopic.Requirements.of(topic, Duration.ofMinutes(15), 1_000_000);
        try (var producer = new KafkaProducer<byte[], byte[]>(
                PayloadTopic.producerConfig(bootstrap, "reader-test", required, Duration.ofSeconds(30)))) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, new byte[] {(byte) i})).get(30, TimeUnit.SECONDS);
            }
        }
        return topic;
    }

    @Test
    void readsTheRecordsFromTheFirstOffsetUpToButNotIncludingTheSecond() throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = topicWithFourRecords(bootstrap);

        var records = new LogReader(bootstrap, topic, 1_000_000).read(1, 3,
                System.nanoTime() + Duration.ofSeconds(30).toNanos());

        assertThat(records).map(ConsumerRecord::offset).containsExactly(1L, 2L);
        assertThat(records).map(record -> record.value()[0]).containsExactly((byte) 1, (byte) 2);
    }

    @Test
    void recordsThatCannotAllBeReadByTheDeadlineAreAFailureNotAPartialAnswer() throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = topicWithFourRecords(bootstrap);

        // offsets 4 to 9 are not there (yet): the read ends at its deadline and says so
        assertThatThrownBy(() -> new LogReader(bootstrap, topic, 1_000_000).read(2, 10,
                System.nanoTime() + Duration.ofSeconds(2).toNanos()))
                .isInstanceOf(KafkaException.class);
    }
}
