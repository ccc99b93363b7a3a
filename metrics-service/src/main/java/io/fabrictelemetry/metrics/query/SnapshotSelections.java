package io.fabrictelemetry.metrics.query;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * What a filtered ListMetrics query selects in one snapshot, remembered by its raw query string
 * while that snapshot is current: the query parsed, its names looked up and its ETags written once
 * per snapshot and query, not once per request (a dashboard's switch detail asks the same
 * {@code ?switch=<guid>} every few seconds; a flood asks it thousands of times a second). Keyed to
 * the snapshot as {@link SnapshotBodies} is: only the newest snapshot's selections are kept, a newer
 * snapshot selects afresh, a request still holding an older snapshot computes its own and leaves
 * the newer ones alone. Only what was selected is kept: a query answered with a problem ({@code 400},
 * {@code 404}) throws each time, and an unfiltered one ({@code null}) is not kept. Bounded: at most
 * {@link #maxEntries} queries per snapshot, each at most {@link #MAX_QUERY_LENGTH} characters; beyond
 * them the selection is computed per request, as it would be without this.
 */
final class SnapshotSelections {

    /** Raw queries longer than this are not kept (a thousand switches named in one query are rare, and large). */
    static final int MAX_QUERY_LENGTH = 512;

    /** A selection with both of its strong ETags, written once. */
    record Selected(ListMetricsFilter.Selection selection, String etag, String gzipEtag) {
    }

    private record Generation(Snapshot snapshot, ConcurrentHashMap<String, Selected> byQuery) {
    }

    private final int maxEntries;
    private final AtomicReference<@Nullable Generation> latest = new AtomicReference<>();

    SnapshotSelections(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /**
     * The selection of {@code rawQuery} in {@code snapshot}: the one kept, or {@code select}'s (kept
     * when it fits the bounds); {@code null} when {@code select} says the query is unfiltered. What
     * {@code select} throws goes to the caller and nothing is kept.
     */
    @Nullable Selected get(Snapshot snapshot, String rawQuery, Supplier<@Nullable Selected> select) {
        Generation generation = rawQuery.length() <= MAX_QUERY_LENGTH ? generation(snapshot) : null;
        if (generation == null) {
            return select.get();
        }
        Selected kept = generation.byQuery().get(rawQuery);
        if (kept != null) {
            return kept;
        }
        Selected selected = select.get();
        if (selected != null && generation.byQuery().size() < maxEntries) {
            Selected raced = generation.byQuery().putIfAbsent(rawQuery, selected);
            return raced == null ? selected : raced;
        }
        return selected;
    }

    /** How many queries the newest snapshot keeps; for tests. */
    int keptQueries() {
        Generation generation = latest.get();
        return generation == null ? 0 : generation.byQuery().size();
    }

    /** The newest snapshot's selections (a new, empty set for a newer snapshot); {@code null} for an older snapshot. */
    private @Nullable Generation generation(Snapshot snapshot) {
        Generation current = latest.get();
        while (current == null || current.snapshot() != snapshot) {
            if (current != null && current.snapshot().sequence() > snapshot.sequence()) {
                return null; // an older snapshot: nothing kept for it
            }
            Generation fresh = new Generation(snapshot, new ConcurrentHashMap<>());
            if (latest.compareAndSet(current, fresh)) {
                return fresh;
            }
            current = latest.get();
        }
        return current;
    }
}
