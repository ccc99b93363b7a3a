/**
 * {@code /telemetry/stream}: Server-Sent Events, one per published snapshot, to a bounded number of clients.
 */
@NullMarked
package io.fabrictelemetry.metrics.stream;

import org.jspecify.annotations.NullMarked;
