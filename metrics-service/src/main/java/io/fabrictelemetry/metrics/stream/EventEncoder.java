package io.fabrictelemetry.metrics.stream;

import java.nio.ByteBuffer;

import io.fabrictelemetry.metrics.query.ListMetricsFilter;
import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * How a stream client's event data is made from a snapshot: ListMetrics filtered as the client
 * asked. A seam, so that tests can count encodings or make one client's encoding fail.
 */
@FunctionalInterface
interface EventEncoder {

    /** ListMetrics, filtered: the snapshot's pre-encoded bytes when unfiltered. */
    EventEncoder LIST_METRICS = (snapshot, filter) -> filter.select(snapshot).body();

    /**
     * The event data of {@code snapshot} for {@code filter}; a {@link io.fabrictelemetry.metrics.api.ProblemException} when the
     * snapshot no longer has a switch or metric the filter names (no event for that snapshot).
     */
    ByteBuffer encode(Snapshot snapshot, ListMetricsFilter filter);
}
