/**
 * Actuator health: ingestion as a Prometheus-like target health, and the snapshot's readiness.
 */
@NullMarked
package io.fabrictelemetry.metrics.health;

import org.jspecify.annotations.NullMarked;
