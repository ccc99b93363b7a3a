/**
 * Replicas on Apache Kafka (issue 23): the settings ({@code INGEST_MODE}, {@code KAFKA_*},
 * {@code SOURCE_NAME}), the publisher of {@code INGEST_MODE=publish} with its health and metrics, and
 * the consumer of {@code INGEST_MODE=consume}. The plain Kafka client on threads of its own: nothing
 * here connects in poll mode. The record format and the topic's setup are shared with the generator:
 * {@code io.fabrictelemetry.conventions.PayloadRecords} and {@code PayloadTopic}.
 */
@NullMarked
package io.fabrictelemetry.metrics.kafka;

import org.jspecify.annotations.NullMarked;
