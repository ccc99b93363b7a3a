package io.fabrictelemetry.metrics.ingest;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/**
 * Where the poll loop hands each accepted payload (a {@code 304} or a rejected payload never gets
 * here): straight to the store in poll mode ({@link #direct}), through the Kafka log first in publish
 * mode ({@code kafka/KafkaPublisher}). Called on the poll's work thread, never on an event loop; it
 * may block, within a bound of its own.
 */
@FunctionalInterface
public interface PayloadSink {

    /**
     * Applies {@code payload}: publishes its snapshot and returns it.
     *
     * @throws PublishFailedException when it could not be published: the payload is not applied, the
     *                                previous snapshot stays, and the poll ends as {@code publish_error}
     */
    Snapshot accept(AcceptedPayload payload);

    /** Poll mode: the store's next snapshot, numbered by the store (boot-scoped ETags). */
    static PayloadSink direct(SnapshotStore store) {
        return payload -> store.publish(payload.table(), payload.sampledAt(), payload.collectedAt(),
                payload.sourceEtag());
    }
}
