/**
 * The fabric in the Prometheus text format, encoded at most once per snapshot, and its endpoint.
 */
@NullMarked
package io.fabrictelemetry.metrics.export;

import org.jspecify.annotations.NullMarked;
