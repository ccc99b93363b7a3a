package io.fabrictelemetry.metrics.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.fabrictelemetry.conventions.PayloadRecords;

/**
 * A short read of the payload partition for the publisher: the records between two offsets, with an
 * assigned consumer made for the read (no consumer group), every call bounded by one deadline. Used
 * when an acknowledgement's offset is not the one after the publisher's last known record: the records
 * in between (an append whose acknowledgement timed out but which was written, another publisher's)
 * are in the log, and the consumers apply them.
 */
class LogReader {

    private final Map<String, Object> config;
    private final TopicPartition partition;

    LogReader(String bootstrapServers, String topic, int maxRecordBytes) {
        this.partition = new TopicPartition(topic, PayloadRecords.PARTITION);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "metrics-service-publisher-reader");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // records already removed by retention: from the oldest kept (nobody can read the others)
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxRecordBytes);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxRecordBytes);
        this.config = config;
    }

    /**
     * The records at offsets {@code from} (inclusive) to {@code to} (exclusive), in order.
     *
     * @throws KafkaException when they cannot all be read before {@code deadlineNanos} ({@link System#nanoTime()})
     */
    List<ConsumerRecord<byte[], byte[]>> read(long from, long to, long deadlineNanos) {
        Map<String, Object> bounded = new HashMap<>(config);
        int left = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadlineNanos - System.nanoTime()) / 1_000_000));
        bounded.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, left);
        bounded.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, left);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bounded, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            consumer.assign(Set.of(partition));
            consumer.seek(partition, from);
            long position = from;
            while (position < to) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    throw new KafkaException("records " + from + ".." + (to - 1) + " of " + partition
                            + " not read in time (read up to " + position + ")");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofNanos(remaining)).records(partition)) {
                    if (record.offset() >= from && record.offset() < to) {
                        records.add(record);
                    }
                    position = record.offset() + 1;
                }
                // offsets without a record (aborted transactions, compaction) still move the position
                position = Math.max(position, consumer.position(partition, Duration.ofNanos(Math.max(1,
                        deadlineNanos - System.nanoTime()))));
            }
            return records;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }
}
