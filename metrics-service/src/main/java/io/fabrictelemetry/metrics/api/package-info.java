/**
 * The contract every telemetry endpoint shares: the routes, problem details, the answers read from the current
 * snapshot (headers, entity tags, {@code 304}), query-string parsing and the rules of a parameter.
 */
@NullMarked
package io.fabrictelemetry.metrics.api;

import org.jspecify.annotations.NullMarked;
