/**
 * Push instead of poll ({@code GENERATOR_PUBLISH=kafka}): each generation appended to a Kafka topic by
 * the generator itself, in the record format the metrics-service's publisher writes, on a thread of its
 * own so that a dead broker never slows the simulation or the HTTP API.
 */
@NullMarked
package io.fabrictelemetry.generator.publish;

import org.jspecify.annotations.NullMarked;
