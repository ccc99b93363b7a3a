package io.fabrictelemetry.metrics.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A consumer replica's store in miniature, for tests of other packages ({@link PayloadStep}'s
 * constructor is package-private): every record applied in order with the identity its offset gives
 * it, as {@code kafka/RecordConsumer} applies them (without its dedupe and skipping).
 */
public final class ReplayedRecords {

    private ReplayedRecords() {
    }

    public static SnapshotStore replay(List<ConsumerRecord<byte[], byte[]>> records) {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        PayloadStep step = step(store);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            step.apply(PayloadRecords.read(record), PayloadRecords.sequence(record.offset()),
                    PayloadRecords.etag(record.topic(), record.partition(), record.offset()));
        }
        return store;
    }

    /** The consume mode's parse-and-build step over {@code store}, for a {@code RecordConsumer} of a test. */
    public static PayloadStep step(SnapshotStore store) {
        IngestionTracker tracker = new IngestionTracker();
        return new PayloadStep(store, new IngestMetrics(new SimpleMeterRegistry(), tracker, store, Clock.systemUTC()),
                tracker);
    }
}
