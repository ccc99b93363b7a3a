/**
 * The metrics-service application and its shared wiring (the clock).
 */
@NullMarked
package io.fabrictelemetry.metrics;

import org.jspecify.annotations.NullMarked;
