package io.fabrictelemetry.generator.publish;

import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The broker and topic of {@code GENERATOR_PUBLISH=kafka}, named as the metrics-service names them:
 * {@code kafka.bootstrap-servers} ({@code KAFKA_BOOTSTRAP_SERVERS}), {@code kafka.topic}
 * ({@code KAFKA_TOPIC}), and {@code kafka.max-block} ({@code KAFKA_MAX_BLOCK}). Read only when the
 * generator publishes.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}; required when publishing
 * @param topic            the topic, {@code fabric-telemetry.payloads} by default; created with one
 *                         partition when missing
 * @param maxBlock         the longest a send waits for the broker's metadata or for buffer space before
 *                         it counts as failed; each send runs on the publisher's own thread, never the
 *                         simulation's
 */
@ConfigurationProperties("kafka")
public record KafkaProperties(
        @Nullable String bootstrapServers,
        @DefaultValue(DEFAULT_TOPIC) String topic,
        @DefaultValue("5s") Duration maxBlock) {

    static final String DEFAULT_TOPIC = "fabric-telemetry.payloads";
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public KafkaProperties {
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("kafka.topic (KAFKA_TOPIC) must be 1 to 249 of a-z A-Z 0-9 . _ -"
                    + " (and neither . nor ..), but was '" + topic + "'");
        }
        if (maxBlock == null || maxBlock.isNegative() || maxBlock.isZero() || maxBlock.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "kafka.max-block (KAFKA_MAX_BLOCK) must be at least 1ms, but was " + maxBlock);
        }
    }
}
