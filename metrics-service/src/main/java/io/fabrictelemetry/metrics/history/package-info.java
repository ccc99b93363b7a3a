/** Compressed recent history of every switch's metrics, fed from published snapshots. */
@NullMarked
package io.fabrictelemetry.metrics.history;

import org.jspecify.annotations.NullMarked;
