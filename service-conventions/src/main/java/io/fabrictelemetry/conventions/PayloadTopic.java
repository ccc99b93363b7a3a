package io.fabrictelemetry.conventions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payload topic's setup and the producer settings both publishers use (the metrics-service in
 * {@code INGEST_MODE=publish}, the generator with {@code GENERATOR_PUBLISH=kafka}).
 *
 * <p>{@link #ensure}: a missing topic is created with one partition, {@code retention.ms} =
 * the history's retention + {@link #RETENTION_MARGIN} (rates and carried-over switches need the
 * record before the window; a consumer that restarts needs the window) and {@code max.message.bytes}
 * = the largest payload + {@link #RECORD_OVERHEAD_BYTES}. An existing topic whose two values are
 * smaller is altered to the required values (never lowered), said at WARN; when altering is refused
 * (no ALTER_CONFIGS permission), a WARN says which values to raise and publishing goes on (records
 * too large for the topic then fail and are counted). An existing topic with more than one partition
 * is used as is (only partition {@value PayloadRecords#PARTITION}), said at WARN.
 */
public final class PayloadTopic {

    /** Kept beyond the history's retention. */
    public static final Duration RETENTION_MARGIN = Duration.ofHours(1);
    /** What a record adds to its payload: key, headers, record and batch headers (generously). */
    public static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(PayloadTopic.class);

    private PayloadTopic() {
    }

    /**
     * What the topic must allow.
     *
     * @param retentionMs     the least {@code retention.ms}
     * @param maxMessageBytes the least {@code max.message.bytes}: also the producer's {@code max.request.size}
     */
    public record Requirements(String topic, long retentionMs, int maxMessageBytes) {

        /** For payloads of up to {@code maxPayloadBytes}, kept for {@code historyRetention} (+ the margin). */
        public static Requirements of(String topic, Duration historyRetention, long maxPayloadBytes) {
            long retention = historyRetention.plus(RETENTION_MARGIN).toMillis();
            long message = Math.min(Integer.MAX_VALUE, maxPayloadBytes + RECORD_OVERHEAD_BYTES);
            return new Requirements(topic, retention, (int) message);
        }
    }

    /** What {@link #ensure} found and did. */
    public enum Outcome {
        CREATED, EXISTED, RAISED, TOO_SMALL
    }

    /**
     * Creates the topic when missing, or raises its retention and message size when smaller than
     * required. Every call to the broker is bounded by {@code timeout}.
     *
     * @throws KafkaException when the broker cannot be reached or refuses, within the timeout
     */
    public static Outcome ensure(Admin admin, Requirements required, Duration timeout) {
        try {
            return ensureOrThrow(admin, required, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while setting up topic " + required.topic(), e);
        } catch (ExecutionException e) {
            throw new KafkaException("setting up topic " + required.topic() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("setting up topic " + required.topic() + " took longer than " + timeout, e);
        }
    }

    private static Outcome ensureOrThrow(Admin admin, Requirements required, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        long millis = timeout.toMillis();
        String topic = required.topic();
        Set<String> names = admin.listTopics().names().get(millis, TimeUnit.MILLISECONDS);
        if (!names.contains(topic)) {
            NewTopic created = new NewTopic(topic, Optional.of(1), Optional.empty()).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(required.retentionMs()),
                    TopicConfig.SEGMENT_MS_CONFIG, Long.toString(required.retentionMs()),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(required.maxMessageBytes())));
            try {
                admin.createTopics(List.of(created)).all().get(millis, TimeUnit.MILLISECONDS);
                log.info("Created topic {}: 1 partition, retention.ms {}, max.message.bytes {}", topic,
                        required.retentionMs(), required.maxMessageBytes());
                return Outcome.CREATED;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // another publisher created it meanwhile: check it like any existing topic
            }
        }
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(millis, TimeUnit.MILLISECONDS).get(topic);
            if (description != null && description.partitions().size() > 1) {
                log.warn("Topic {} has {} partitions: only partition {} is written and read", topic,
                        description.partitions().size(), PayloadRecords.PARTITION);
            }
        } catch (ExecutionException e) {
            // a topic created a moment ago may not be in this broker's metadata yet: the check is advice only
            log.debug("Partitions of topic {} not described: {}", topic, e.getCause().toString());
        }
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(millis, TimeUnit.MILLISECONDS).get(resource);
        Map<String, String> raise = new HashMap<>();
        long retention = number(config, TopicConfig.RETENTION_MS_CONFIG);
        if (retention >= 0 && retention < required.retentionMs()) {
            raise.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(required.retentionMs()));
        }
        if (number(config, TopicConfig.MAX_MESSAGE_BYTES_CONFIG) < required.maxMessageBytes()) {
            raise.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(required.maxMessageBytes()));
        }
        if (raise.isEmpty()) {
            return Outcome.EXISTED;
        }
        Collection<AlterConfigOp> ops = new ArrayList<>();
        raise.forEach((name, value) -> ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)));
        try {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(millis, TimeUnit.MILLISECONDS);
            log.warn("Topic {} allowed less than required; raised {} (was retention.ms {}, max.message.bytes {})",
                    topic, raise, config.get(TopicConfig.RETENTION_MS_CONFIG).value(),
                    config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
            return Outcome.RAISED;
        } catch (ExecutionException refused) {
            log.warn("Topic {} allows less than required and could not be altered ({}): raise {} on it, e.g. "
                    + "kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config {}; until then "
                    + "history older than its retention, or payloads larger than its max.message.bytes, are lost",
                    topic, refused.getCause().toString(), raise, topic, String.join(",",
                            raise.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
            return Outcome.TOO_SMALL;
        }
    }

    private static long number(Config config, String name) {
        ConfigEntry entry = config.get(name);
        return entry == null || entry.value() == null ? -1 : Long.parseLong(entry.value());
    }

    /** Between two connection attempts of the admin client to a broker that does not answer, at first. */
    public static final Duration ADMIN_RECONNECT_BACKOFF = Duration.ofSeconds(1);
    /** ... and at most (the publisher's probe looks every 10 s). */
    public static final Duration ADMIN_RECONNECT_BACKOFF_MAX = Duration.ofSeconds(10);

    /**
     * An admin client whose calls each end within {@code timeout}, and which costs next to nothing while
     * the broker is unreachable: {@code metadata.recovery.strategy=none}, because with Kafka 4.1's default
     * ({@code rebootstrap}) a call waiting for a broker that does not answer makes the admin client
     * "rebootstrap" in a loop — about 900 times a second, measured, each an INFO line of
     * {@code AdminMetadataManager} — and connection attempts backed off from
     * {@link #ADMIN_RECONNECT_BACKOFF} to {@link #ADMIN_RECONNECT_BACKOFF_MAX}. Without rebootstrapping
     * the client keeps the brokers it knows, and resolves their names again at each connection attempt.
     */
    public static Map<String, Object> adminConfig(String bootstrapServers, String clientId, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, ADMIN_RECONNECT_BACKOFF.toMillis());
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, ADMIN_RECONNECT_BACKOFF_MAX.toMillis());
        return config;
    }

    /**
     * The producer of payload records: idempotent, {@code acks=all}, lz4 (the fastest of Kafka's
     * codecs: a 100,000-switch payload is compressed on the sending thread), records up to
     * {@code required.maxMessageBytes()}, nothing lingering, and no call that blocks or waits for an
     * acknowledgement longer than {@code timeout} ({@code max.block.ms}, {@code request.timeout.ms},
     * {@code delivery.timeout.ms}).
     */
    public static Map<String, Object> producerConfig(String bootstrapServers, String clientId, Requirements required,
            Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, required.maxMessageBytes());
        // the producer refuses a record larger than its whole buffer
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L * 1024 * 1024, required.maxMessageBytes()));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
        return config;
    }
}
