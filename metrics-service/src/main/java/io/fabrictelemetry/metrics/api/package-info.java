/**
 * HTTP: the telemetry routes and handler reading the current snapshot, problem details, access log, connection limits.
 */
@NullMarked
package io.fabrictelemetry.metrics.api;

import org.jspecify.annotations.NullMarked;
