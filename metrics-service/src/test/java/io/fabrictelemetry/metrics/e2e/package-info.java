/**
 * End-to-end tests: the real generator jar and metrics-service over HTTP.
 */
@NullMarked
package io.fabrictelemetry.metrics.e2e;

import org.jspecify.annotations.NullMarked;
