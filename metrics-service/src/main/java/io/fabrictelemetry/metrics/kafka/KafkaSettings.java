package io.fabrictelemetry.metrics.kafka;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Binder;

import io.fabrictelemetry.conventions.PayloadRecords;

/**
 * How this replica uses Kafka, validated at start:
 *
 * <ul>
 * <li>{@code ingest.mode} ({@code INGEST_MODE}): {@code poll} (default), {@code publish} or {@code consume};</li>
 * <li>{@code kafka.bootstrap-servers} ({@code KAFKA_BOOTSTRAP_SERVERS}): {@code host:port[,host:port…]},
 *     required unless the mode is {@code poll};</li>
 * <li>{@code kafka.topic} ({@code KAFKA_TOPIC}): default {@value PayloadRecords#DEFAULT_TOPIC};</li>
 * <li>{@code source.name} ({@code SOURCE_NAME}): the records' key; default the polled URL's
 *     {@code host:port/path} (e.g. {@code 127.0.0.1:9001/counters}).</li>
 * </ul>
 *
 * Four settings under three prefixes (their environment variables are the contract of issue 23), so
 * one record bound with a {@link Binder} rather than a {@code @ConfigurationProperties} record per prefix.
 *
 * @param bootstrapServers {@code null} only in poll mode, when not set
 */
public record KafkaSettings(IngestMode mode, @Nullable String bootstrapServers, String topic, String sourceName) {

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern SERVER = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^\\s,:\\[\\]]+):([0-9]{1,5})");

    public KafkaSettings {
        if (mode == null) {
            throw new IllegalArgumentException("ingest.mode (INGEST_MODE) must be poll, publish or consume");
        }
        if (bootstrapServers != null && bootstrapServers.isBlank()) {
            bootstrapServers = null;
        }
        if (bootstrapServers == null && mode != IngestMode.POLL) {
            throw new IllegalArgumentException("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is required when "
                    + "ingest.mode (INGEST_MODE) is " + mode.value() + ", e.g. KAFKA_BOOTSTRAP_SERVERS=kafka:9092");
        }
        if (bootstrapServers != null) {
            bootstrapServers = bootstrapServers.strip();
            boolean valid = Arrays.stream(bootstrapServers.split(",", -1)).map(String::strip).allMatch(server -> {
                var matcher = SERVER.matcher(server);
                return matcher.matches() && Integer.parseInt(matcher.group(2)) >= 1
                        && Integer.parseInt(matcher.group(2)) <= 65_535;
            });
            if (!valid) {
                throw new IllegalArgumentException("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) must be a "
                        + "comma-separated list of host:port (port 1 to 65535), like kafka-0:9092,kafka-1:9092, but was '"
                        + bootstrapServers + "'");
            }
        }
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("kafka.topic (KAFKA_TOPIC) must be a Kafka topic name: 1 to 249 "
                    + "letters, digits, '.', '_' or '-' (not '.' or '..'), but was '" + topic + "'");
        }
        if (sourceName == null || sourceName.isBlank()) {
            throw new IllegalArgumentException("source.name (SOURCE_NAME) must not be blank");
        }
    }

    /**
     * The settings bound from {@code binder} (environment variables, the configuration file),
     * {@code source.name} defaulting to {@link #sourceName(String) the name of} {@code polledUrl}.
     */
    public static KafkaSettings bind(Binder binder, String polledUrl) {
        String mode = binder.bind("ingest.mode", String.class).orElse(IngestMode.POLL.value());
        return new KafkaSettings(mode(mode),
                binder.bind("kafka.bootstrap-servers", String.class).orElse(null),
                binder.bind("kafka.topic", String.class).orElse(PayloadRecords.DEFAULT_TOPIC),
                binder.bind("source.name", String.class).orElseGet(() -> sourceName(polledUrl)));
    }

    /** The configured mode, or {@code null} when it is not one (for conditions; {@link #bind} refuses it). */
    static @Nullable IngestMode modeOrNull(Binder binder) {
        try {
            return mode(binder.bind("ingest.mode", String.class).orElse(IngestMode.POLL.value()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static IngestMode mode(String text) {
        for (IngestMode mode : IngestMode.values()) {
            if (mode.value().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "ingest.mode (INGEST_MODE) must be poll, publish or consume, but was '" + text + "'");
    }

    /** A source's default name: its URL's {@code host:port/path}, the port left out when the URL has none. */
    public static String sourceName(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost() == null ? url : uri.getHost();
        return host + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** True unless this replica polls on its own. */
    public boolean usesKafka() {
        return mode != IngestMode.POLL;
    }
}
