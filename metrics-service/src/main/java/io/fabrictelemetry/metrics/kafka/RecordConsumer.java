package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.PayloadRecords.Payload;
import io.fabrictelemetry.conventions.PayloadRecords.UnusableRecordException;
import io.fabrictelemetry.metrics.history.HistoryRecorder;
import io.fabrictelemetry.metrics.ingest.PayloadStep;
import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * {@code INGEST_MODE=consume}: builds every snapshot from the payload topic, on a thread of its own.
 *
 * <p>No consumer group: the consumer is assigned the topic's partition
 * ({@value PayloadRecords#PARTITION}) and every replica reads every record. It starts one record
 * before the first one within {@code history.retention} (the one before primes counter rates and
 * carried-over switches; with no record in the window, the last record, so the last snapshot is
 * served, stale by its age), so history and rates are rebuilt on start, and it is caught up once it
 * has read to the end offset it read at start. Each record goes through {@link PayloadStep}, the
 * poll's own parse-and-build step, and its snapshot takes its identity from the log: sequence
 * {@code offset + 1}, ETag {@code "k-<topic>-<partition>-<offset>"}, the same on every replica.
 *
 * <p>A record that is the same payload from the same source as the one applied before it (a second
 * publisher during a rolling update) is skipped, and so is one sampled no later than the one last
 * applied from its source (that second publisher's older generation landing after a newer one: its
 * {@code sampled-at}, else the {@code sampledAt} derived from its bytes as a publisher derives it),
 * and one that is no usable payload; each is counted by reason, none stops the consumer or replaces
 * good data. Offsets that go back below the position (the topic deleted and created again, or
 * truncated) stop it applying records until a restart ({@link #refuse}). Every call to the broker has a
 * timeout; a broker that does not answer turns the {@code kafka} health DOWN while the last snapshot
 * is served (stale by {@code stale.after}), and when it is back the consumer continues from the
 * position it holds, so no record is applied twice. The thread survives every throwable: the first
 * of a run is logged at WARN, the consumer is made anew and seeks to the position held, after a
 * backoff. Stopping wakes it ({@link KafkaConsumer#wakeup()}).
 */
class RecordConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RecordConsumer.class);

    /** How long one poll for records waits when none come. */
    static final Duration POLL = Duration.ofMillis(500);
    /** How often the end offset is read: the lag, and whether the broker answers. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** The bound of every other call to the broker. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** How long a record waits for history to take the previous snapshot before going on. */
    static final Duration HISTORY_WAIT = Duration.ofSeconds(30);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final TopicPartition partition;
    private final Duration retention;
    private final PayloadStep step;
    private final HistoryRecorder history;
    private final ConsumerTracker tracker;
    private final ConsumerMetrics metrics;
    private final Clock clock;

    private volatile boolean running;
    private volatile @Nullable Thread thread;
    private volatile @Nullable KafkaConsumer<byte[], byte[]> consumer;

    // only on the consumer thread: the next offset to read (-1 until the start is found), and the
    // payload last applied per source
    private long next = -1;
    private Duration backoff = FIRST_BACKOFF;
    private final AppliedRecords appliedRecords = new AppliedRecords();

    RecordConsumer(String bootstrapServers, String topic, Duration retention, PayloadStep step,
            HistoryRecorder history, ConsumerTracker tracker, ConsumerMetrics metrics, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.partition = new TopicPartition(topic, PayloadRecords.PARTITION);
        this.retention = retention;
        this.step = step;
        this.history = history;
        this.tracker = tracker;
        this.metrics = metrics;
        this.clock = clock;
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "metrics-service-consumer");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a consumer started before any publisher must not make the broker create the topic with its
        // defaults (1 MB messages, 7-day segments): the publisher creates it as PayloadTopic requires
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // a position the log no longer holds (retention passed while the broker was away): the oldest kept
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
        // each record is a whole payload: a few at a time (a record larger than the fetch limits is
        // still returned alone, so a 100,000-switch payload passes)
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16);
        return config;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread started = new Thread(this::run, "kafka-consumer");
        started.setDaemon(true);
        thread = started;
        tracker.update(status -> status.startedAt(clock.instant()));
        started.start();
        log.info("Consuming {} from {} (no consumer group; from {} back)", partition, bootstrapServers, retention);
    }

    /** Wakes the consumer out of any call and waits for its thread to end (bounded). */
    @Override
    public void stop() {
        Thread stopping;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            stopping = thread;
            thread = null;
        }
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (stopping != null) {
            stopping.interrupt();
            try {
                stopping.join(CALL_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            KafkaConsumer<byte[], byte[]> created = null;
            try {
                created = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
                consumer = created;
                if (!running) {
                    return; // stopped before the consumer could be woken
                }
                consume(created);
            } catch (WakeupException woken) {
                // stop() woke it: the loop ends
            } catch (Throwable error) {
                if (!running) {
                    break;
                }
                String description = describe(error);
                boolean first = tracker.status().failingSince() == null;
                tracker.update(status -> status.failed(description, clock.instant()));
                if (first) {
                    log.warn("Consuming {} failed: {}; serving the last snapshot, retrying in {} from offset {}",
                            partition, description, backoff, next, error);
                } else {
                    log.debug("Consuming {} failed again: {}", partition, description);
                }
                try {
                    Thread.sleep(backoff.toMillis()); // the consumer's own thread, never an event loop
                } catch (InterruptedException e) {
                    // stop() interrupts: the loop condition ends it
                }
                tracker.progressed(clock.instant());
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                consumer = null;
                if (created != null) {
                    try {
                        created.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                    } catch (RuntimeException e) {
                        log.debug("Closing the consumer failed", e);
                    }
                }
            }
        }
    }

    /** One consumer's life: assign, find or restore the position, then read until stopped. */
    private void consume(KafkaConsumer<byte[], byte[]> kafka) {
        List<PartitionInfo> partitions = kafka.partitionsFor(topic, CALL_TIMEOUT);
        if (partitions == null || partitions.stream().noneMatch(p -> p.partition() == partition.partition())) {
            throw new IllegalStateException("topic " + topic + " has no partition " + partition.partition()
                    + " (yet): is a publisher running?");
        }
        kafka.assign(Set.of(partition));
        if (next < 0) {
            next = start(kafka);
        } else {
            log.info("Consuming {} again from offset {}", partition, next);
        }
        kafka.seek(partition, next);
        if (tracker.status().refused() != null) {
            kafka.pause(Set.of(partition)); // made anew after a failure: it still applies nothing
        }
        long lastCheck = 0; // the first check at once
        while (running) {
            ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
            tracker.progressed(clock.instant());
            if (!records.isEmpty()) {
                answered(-1);
            }
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (!running) {
                    return;
                }
                if (record.offset() < next) {
                    // the client holds the position, so it never hands back what was read: the position
                    // was reset to the start of a log that is not the one read so far
                    refuse(kafka, record.offset());
                    break;
                }
                handle(record);
            }
            long now = clock.millis();
            if (now - lastCheck >= CHECK_EVERY.toMillis()) {
                lastCheck = now;
                check(kafka);
            }
        }
    }

    /**
     * Where reading starts: one record before the first within the retention, or the last record
     * when none is; the end offset read now is the one to reach to be caught up.
     */
    private long start(KafkaConsumer<byte[], byte[]> kafka) {
        long end = kafka.endOffsets(Set.of(partition), CALL_TIMEOUT).get(partition);
        long beginning = kafka.beginningOffsets(Set.of(partition), CALL_TIMEOUT).get(partition);
        long since = clock.millis() - retention.toMillis();
        OffsetAndTimestamp first = kafka.offsetsForTimes(Map.of(partition, since), CALL_TIMEOUT).get(partition);
        long from = Math.max(beginning, (first == null ? end : first.offset()) - 1);
        tracker.update(status -> status.answered(clock.instant(), end).positioned(end, from));
        log.info("Starting at offset {} of {} (records {}..{}); ready once offset {} is read", from, partition,
                beginning, end - 1, end);
        return from;
    }

    /** Reads the end offset: the lag, and whether the broker answers (DOWN after {@link #CALL_TIMEOUT}). */
    private void check(KafkaConsumer<byte[], byte[]> kafka) {
        try {
            Long end = kafka.endOffsets(Set.of(partition), CALL_TIMEOUT).get(partition);
            answered(end == null ? -1 : end);
            if (end != null && end < next && tracker.status().refused() == null) {
                // every offset below the position was read from the log: it now ends below it
                refuse(kafka, end);
            }
        } catch (TimeoutException unanswered) {
            ConsumerStatus before = tracker.status();
            String description = "the broker did not answer within " + CALL_TIMEOUT + " (" + unanswered.getMessage()
                    + ")";
            tracker.update(status -> status.failed(description, clock.instant()));
            if (before.failingSince() == null) {
                log.warn("Kafka at {} is unreachable: {}; serving the last snapshot, reading on from offset {} "
                        + "when it is back", bootstrapServers, description, next);
            } else {
                log.debug("Kafka still unreachable: {}", description);
            }
        }
    }

    /**
     * The log's offsets went back below the position ({@code to} &lt; {@link #next}): the topic was
     * deleted and created again, or truncated. Its new records would take sequences and ETags that
     * were already served for other snapshots, and everything downstream (the event stream, kept
     * bodies, rankings, history) takes a higher sequence for newer; so no record is applied any more,
     * the {@code kafka} component is DOWN saying so, the last snapshot is served (stale by
     * {@code stale.after}), and a restart reads the topic anew. The partition is paused, so the thread
     * still comes round its loop and watches the broker.
     */
    private void refuse(KafkaConsumer<byte[], byte[]> kafka, long to) {
        String reason = "offsets of " + partition + " went back from " + next + " to " + to + ": the topic was "
                + "deleted and created again, or truncated; no record is applied since (its sequences and ETags would "
                + "repeat ones already served): serving the last snapshot; restart this replica to read the topic anew";
        tracker.update(status -> status.refusing(reason));
        kafka.pause(Set.of(partition));
        log.error("Consuming {} stopped: {}", partition, reason);
    }

    private void answered(long end) {
        backoff = FIRST_BACKOFF;
        ConsumerStatus before = tracker.status();
        tracker.update(status -> status.answered(clock.instant(), end));
        if (before.failingSince() != null) {
            log.info("Kafka at {} answers again after {}; reading on from offset {}", bootstrapServers,
                    Duration.between(before.failingSince(), clock.instant()), next);
        }
    }

    /** One record: applied, or skipped and counted; never throws but for stopping. */
    private void handle(ConsumerRecord<byte[], byte[]> record) {
        long started = System.nanoTime();
        long sequence = 0;
        try {
            sequence = apply(record, started);
        } finally {
            next = record.offset() + 1;
            long applied = sequence;
            tracker.update(status -> status.read(next, Instant.ofEpochMilli(record.timestamp()), applied));
            tracker.progressed(clock.instant());
        }
    }

    /** @return the sequence of the snapshot built, or 0 when the record was skipped */
    private long apply(ConsumerRecord<byte[], byte[]> record, long started) {
        Payload payload;
        try {
            payload = PayloadRecords.read(record);
        } catch (UnusableRecordException unusable) {
            skip(record.key() == null ? ConsumerMetrics.Skip.MISSING_KEY : ConsumerMetrics.Skip.UNUSABLE, record,
                    unusable.getMessage());
            return 0;
        }
        if (payload.body().length == 0) {
            skip(ConsumerMetrics.Skip.UNUSABLE, record, "empty payload");
            return 0;
        }
        // a sampled-at header decides before the parse (a 100,000-switch parse costs seconds)
        AppliedRecords.Refused refused = appliedRecords.beforeParse(payload);
        if (refused != null) {
            skip(refused, record);
            return 0;
        }
        Snapshot snapshot;
        try {
            PayloadStep.Parsed parsed = step.parse(payload);
            // without the header, sampledAt is derived from the bytes (port rows' newest timestamp, else
            // collected-at) as the publisher derives it
            refused = appliedRecords.afterParse(payload, parsed.sampledAt());
            if (refused != null) {
                skip(refused, record);
                return 0;
            }
            snapshot = step.publish(parsed, PayloadRecords.sequence(record.offset()),
                    PayloadRecords.etag(record.topic(), record.partition(), record.offset()));
        } catch (Throwable error) {
            if (error instanceof WakeupException wakeup) {
                throw wakeup;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (PayloadStep.isRejectedPayload(error)) {
                skip(ConsumerMetrics.Skip.REJECTED, record, error.getMessage());
                step.recordConsumed(false, error.getMessage(), payload.collectedAt(), clock.instant(), took);
            } else {
                metrics.skipped(ConsumerMetrics.Skip.ERROR);
                log.warn("Record at offset {} of {} could not be applied; skipped, the last snapshot stays",
                        record.offset(), partition, error);
            }
            return 0;
        }
        appliedRecords.applied(payload, snapshot.sampledAt());
        metrics.applied();
        step.recordConsumed(true, null, payload.collectedAt(), clock.instant(),
                Duration.ofNanos(System.nanoTime() - started));
        try {
            // replaying, snapshots come faster than history appends them: without waiting, history
            // would keep only the latest of those waiting and the rebuilt history would miss points
            if (!history.awaitAppended(snapshot.sequence(), HISTORY_WAIT)) {
                log.debug("History did not take snapshot {} within {}; going on", snapshot.sequence(), HISTORY_WAIT);
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
        return snapshot.sequence();
    }

    private void skip(AppliedRecords.Refused refused, ConsumerRecord<byte[], byte[]> record) {
        skip(refused.refusal() == AppliedRecords.Refusal.DUPLICATE ? ConsumerMetrics.Skip.DUPLICATE
                : ConsumerMetrics.Skip.STALE, record, refused.why());
    }

    private void skip(ConsumerMetrics.Skip reason, ConsumerRecord<byte[], byte[]> record, @Nullable String why) {
        metrics.skipped(reason);
        if (reason == ConsumerMetrics.Skip.DUPLICATE || reason == ConsumerMetrics.Skip.STALE) {
            // what a second publisher during a rolling update leaves: expected, and counted
            log.debug("Record at offset {} of {} skipped: {}", record.offset(), partition, why);
        } else {
            log.warn("Record at offset {} of {} skipped ({}): {}; the last snapshot stays", record.offset(), partition,
                    reason.tag(), why);
        }
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
