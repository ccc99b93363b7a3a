package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/**
 * Where the poll loop hands each accepted payload (a {@code 304} or a rejected payload never gets
 * here): straight to the store in poll mode ({@link #direct}), through the Kafka log first in publish
 * mode ({@code kafka/KafkaPublisher}). Called on the poll's work thread, never on an event loop; it
 * may block, within a bound of its own. Whatever it throws ends the poll as {@code internal_error}.
 */
@FunctionalInterface
public interface PayloadSink {

    /** Applies {@code payload}: publishes its snapshot and returns it. */
    Snapshot accept(AcceptedPayload payload);

    /**
     * The source ETag the next poll sends as {@code If-None-Match}, given the snapshot served now: that
     * snapshot's, so that a source answers {@code 304} for what is served. A sink whose served payload
     * may not have reached where it must (the Kafka log) names the last payload that did, so that the
     * source sends the newest one again rather than a {@code 304} that would keep it out.
     */
    default @Nullable String ifNoneMatch(@Nullable Snapshot current) {
        return current == null ? null : current.generatorEtag();
    }

    /** Poll mode: the store's next snapshot, numbered by the store (boot-scoped ETags). */
    static PayloadSink direct(SnapshotStore store) {
        return payload -> store.publish(payload.table(), payload.sampledAt(), payload.collectedAt(),
                payload.sourceEtag());
    }
}
