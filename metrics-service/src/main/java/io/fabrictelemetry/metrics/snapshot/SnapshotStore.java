package io.fabrictelemetry.metrics.snapshot;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Holds the latest snapshot. One writer (the poll loop) builds a complete snapshot and swaps it in
 * with a single set; readers take it without a lock and never see a half-built one.
 */
@Component
public class SnapshotStore {

    // A restarted service never answers 304 to an ETag that a previous process issued.
    private final String bootId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicReference<@Nullable Snapshot> current = new AtomicReference<>();

    /** The latest snapshot, or {@code null} before the first accepted payload. */
    public @Nullable Snapshot current() {
        return current.get();
    }

    /** Builds the next snapshot from an accepted payload and publishes it. Single writer only. */
    public Snapshot publish(Table table, Instant sampledAt, Instant collectedAt, @Nullable String generatorEtag) {
        Snapshot previous = current.get();
        long sequence = previous == null ? 1 : previous.sequence() + 1;
        CarryOver.Merged merged = previous == null
                ? new CarryOver.Merged(table, Map.of())
                : CarryOver.merge(table, previous);
        Snapshot next = new Snapshot(sequence, sampledAt, collectedAt, generatorEtag,
                "\"" + bootId + "-" + sequence + "\"", merged.table(), merged.carriedOver());
        current.set(next);
        return next;
    }
}
