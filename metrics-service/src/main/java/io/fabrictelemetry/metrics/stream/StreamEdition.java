package io.fabrictelemetry.metrics.stream;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

import io.fabrictelemetry.metrics.query.ListMetricsFilter;
import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * One published snapshot as the stream sends it: the event data for each filter, shared by every
 * client with that filter (every dashboard tab showing the same metrics) while one of them holds
 * it, not encoded once per client.
 *
 * <p>A body is kept only weakly: while a client still sends or holds it, the next client with the
 * same filter gets the same one; once none does, its memory can go, so a snapshot with many
 * filters does not keep every filter's body until the next snapshot. Nothing here blocks: two
 * threads asking for a body that is not made yet may both make it; the first one stored is kept.
 */
final class StreamEdition {

    private final Snapshot snapshot;
    private final EventEncoder encoder;
    private final ConcurrentHashMap<ListMetricsFilter, WeakReference<EventBody>> bodies = new ConcurrentHashMap<>();

    StreamEdition(Snapshot snapshot, EventEncoder encoder) {
        this.snapshot = snapshot;
        this.encoder = encoder;
    }

    long sequence() {
        return snapshot.sequence();
    }

    /**
     * The event data of this snapshot for {@code filter}, made now unless a client with the same
     * filter still has it. Throws what the encoder throws: a {@link io.fabrictelemetry.metrics.api.ProblemException} when a name
     * the filter holds is not in this snapshot.
     */
    EventBody body(ListMetricsFilter filter) {
        WeakReference<EventBody> known = bodies.get(filter);
        EventBody body = known == null ? null : known.get();
        if (body != null) {
            return body;
        }
        EventBody made = new EventBody(snapshot.sequence(), encoder.encode(snapshot, filter));
        WeakReference<EventBody> kept = bodies.compute(filter,
                (key, old) -> old != null && old.get() != null ? old : new WeakReference<>(made));
        EventBody winner = kept.get();
        return winner == null ? made : winner;
    }
}
