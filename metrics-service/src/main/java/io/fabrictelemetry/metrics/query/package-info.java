/**
 * The telemetry queries: GetMetric, ListMetrics (filtered or whole) and TopSwitches, answered from the current snapshot.
 */
@NullMarked
package io.fabrictelemetry.metrics.query;

import org.jspecify.annotations.NullMarked;
