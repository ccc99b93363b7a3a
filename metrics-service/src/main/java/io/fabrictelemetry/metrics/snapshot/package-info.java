/**
 * The read model: an immutable {@link io.fabrictelemetry.metrics.snapshot.Snapshot} built once per
 * accepted payload, with the bodies it encodes (ListMetrics JSON and its gzip), swapped atomically
 * in the {@link io.fabrictelemetry.metrics.snapshot.SnapshotStore}; and the startup check that its
 * staleness limit ({@code stale.after}) is above the poll interval.
 */
@NullMarked
package io.fabrictelemetry.metrics.snapshot;

import org.jspecify.annotations.NullMarked;
