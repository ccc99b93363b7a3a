/** Compressed recent history of every switch's metrics, fed from published snapshots, and GetMetricHistory reading it. */
@NullMarked
package io.fabrictelemetry.metrics.history;

import org.jspecify.annotations.NullMarked;
