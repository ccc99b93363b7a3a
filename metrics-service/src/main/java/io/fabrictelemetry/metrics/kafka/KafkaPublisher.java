package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.PayloadRecords.Payload;
import io.fabrictelemetry.conventions.PayloadTopic;
import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.ingest.AcceptedPayload;
import io.fabrictelemetry.metrics.ingest.PayloadStep;
import io.fabrictelemetry.metrics.ingest.PayloadSink;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * {@code INGEST_MODE=publish}: appends every accepted payload to the topic, then publishes its
 * snapshot under the identity the log gave it ({@code sequence = offset + 1}, ETag
 * {@code "k-<topic>-<partition>-<offset>"}), exactly as a consumer of that record would: a publisher
 * and its consumers answer alike behind one load balancer.
 *
 * <p>Runs on the poll's work thread (the poll loop's {@link PayloadSink}), never on an event loop. Each
 * publish has one deadline, {@code poll.timeout} from its start: the producer blocks for metadata at
 * most that long ({@code max.block.ms}), and the acknowledgement is awaited for what is left of it. The
 * topic is never set up on this thread: {@link KafkaProbe} does it (at start, and whenever the topic is
 * found missing). Until the probe's first look has ended, a publish waits for it within its deadline
 * (and fails with reason {@code timeout}, nothing sent, when that wait took all of it); after that,
 * while the topic is not set up, a publish fails at once with reason {@code topic}.
 *
 * <p>A payload that cannot be published within that bound is still applied, unlogged: the API stays
 * fresh, under an identity no consumer issues, the ETag {@code "<boot>-<n>"} (boot-scoped, so a
 * {@code 304} never crosses between this replica and a consumer, nor a restart) and the sequence of
 * the last published record (0 before the first): the sequence numbers records of the log, and a
 * payload outside the log gets none, so the first published record after the outage still numbers
 * above it and streams and caches see it as new (an event stream of this replica sends nothing new
 * while it serves unlogged snapshots). {@code fabric_kafka_publish_failures_total} counts the
 * payload and the {@code kafka} health component is DOWN; the poll itself succeeded. Meanwhile the
 * polls send the last logged payload's source ETag as {@code If-None-Match} ({@link #ifNoneMatch}), so
 * the source answers with the newest payload rather than {@code 304} (fetched again, it makes no new
 * snapshot) and it is published once the broker answers, its snapshot built on the last logged one
 * (rates, carried-over switches), as the consumers build it; older unlogged ones never reach them.
 *
 * <p>An append whose acknowledgement did not come in time may still have been written, and the
 * consumers apply it; so may another publisher's record (a rolling update). So when an acknowledged
 * offset is not the one after the last record the publisher's logged state includes, it first reads
 * the records in between ({@link LogReader}, the read bounded by a {@code poll.timeout} of its own; their
 * parse and build are not bounded) and applies them on its last logged snapshot as the consumers do (a
 * record that is no usable payload, the same payload as the last one applied from its source, or one
 * sampled no later than it, is skipped), then its own record, with the same rules (its own skipped
 * record is counted in {@code fabric_kafka_records_skipped_total}). If they cannot be read in time, the
 * payload is served unlogged (its state could differ from the log's under the log's ETag), counted
 * with reason {@code catch_up}, and the next poll reads from the same place again. A payload appended
 * and acknowledged is never appended again (fetched again while it is unlogged, it only retries the
 * read). Same ETag, same bytes, on the publisher as on every consumer.
 */
@Component
@ConditionalOnIngestMode(IngestMode.PUBLISH)
class KafkaPublisher implements PayloadSink, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

    /** Why a publish failed: the tag of {@code fabric_kafka_publish_failures_total}. */
    enum Failure {
        /** No acknowledgement (or no metadata) in time: the broker is unreachable or too slow. */
        TIMEOUT,
        /** The record exceeds what the producer or the topic allow. */
        TOO_LARGE,
        /** The topic could not be created or checked. */
        TOPIC,
        /**
         * Appended and acknowledged, but the records between it and the last one this publisher applied
         * could not be read in time: served unlogged (not counted as a published record's failure to append)
         */
        CATCH_UP,
        /** Anything else the broker or the client refused. */
        ERROR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final KafkaSettings settings;
    private final SnapshotStore store;
    private final Clock clock;
    private final Duration timeout;
    private final PayloadTopic.Requirements required;
    private final Map<String, Object> producerConfig;
    private final Map<String, Object> adminConfig;
    // made on first use, so that a broker name that does not resolve yet (a container not started, DNS
    // not ready) is an unreachable broker, retried, rather than a startup failure
    private @Nullable Producer<byte[], byte[]> producer;
    private @Nullable Admin admin;
    // admin clients made so far, and probes failed in a row since the last success
    private final java.util.concurrent.atomic.AtomicInteger adminsMade = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger probesFailed = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Failed probes in a row after which the admin client is closed and made anew: it does not
     * re-bootstrap by itself ({@code metadata.recovery.strategy=none}, {@link PayloadTopic#adminConfig}),
     * so brokers that all changed address would otherwise stay out of its reach until a restart.
     */
    static final int ADMIN_RENEWED_AFTER = 3;
    private final AtomicReference<PublishStatus> status = new AtomicReference<>(PublishStatus.INITIAL);
    // completed when the probe's first look at the topic has ended, whatever its outcome
    private final CompletableFuture<Void> firstProbe = new CompletableFuture<>();
    private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);
    // snapshots served while the broker does not acknowledge: tags of their own, never a log's
    private final EntityTags unloggedTags = EntityTags.bootScoped();
    private final AtomicLong unlogged = new AtomicLong();
    // the last snapshot built from an acknowledged record (written on the poll's work thread only)
    private volatile @Nullable Snapshot lastLogged;
    // the offset of the last record lastLogged includes (-1: none yet), and what the consumers' rules
    // keep of the payloads applied per source (the poll's work thread only)
    private long lastOffset = -1;
    private boolean offsetsWentBack;
    // the last payload appended and acknowledged: never appended again (the poll's work thread only)
    private @Nullable Appended lastAppended;
    // a catch-up read failing (WARN once per episode), own records skipped in a row (WARN once per run)
    private boolean catchUpFailing;
    private int ownSkipped;
    private final Map<AppliedRecords.Refusal, Counter> skipped = new EnumMap<>(AppliedRecords.Refusal.class);
    private final AppliedRecords applied = new AppliedRecords();
    private final LogReader reader;
    private final PayloadStep step;
    private final Counter published;
    private final Timer duration;
    private final Tracer tracer;
    // System.nanoTime, for the append's deadline (a test moves it)
    private final LongSupplier nanoTime;

    /**
     * The span of one append, from handing the record to the producer to its acknowledgement: a child
     * of the poll's {@code fabric.poll.publish} span, tagged with the topic and the offset (or the error).
     */
    static final String PUBLISH_SPAN = "fabric.kafka.publish";

    /** What is kept of the last payload appended and acknowledged. */
    private record Appended(String identity, long offset, Instant collectedAt) {
    }

    /** A publisher whose appends are not traced. */
    KafkaPublisher(KafkaSettings settings, PollProperties poll, HistoryProperties history, SnapshotStore store,
            MeterRegistry registry, Clock clock) {
        this(settings, poll, history, store, registry, clock, Tracer.NOOP, PayloadStep.of(store, registry), null,
                System::nanoTime);
    }

    /** A publisher whose appends are not traced, reading the records it catches up on with {@code reader}. */
    KafkaPublisher(KafkaSettings settings, PollProperties poll, HistoryProperties history, SnapshotStore store,
            MeterRegistry registry, Clock clock, LogReader reader) {
        this(settings, poll, history, store, registry, clock, Tracer.NOOP, PayloadStep.of(store, registry), reader,
                System::nanoTime);
    }

    /** A publisher whose appends are not traced, their deadlines taken on {@code nanoTime}. */
    KafkaPublisher(KafkaSettings settings, PollProperties poll, HistoryProperties history, SnapshotStore store,
            MeterRegistry registry, Clock clock, LongSupplier nanoTime) {
        this(settings, poll, history, store, registry, clock, Tracer.NOOP, PayloadStep.of(store, registry), null,
                nanoTime);
    }

    @Autowired
    KafkaPublisher(KafkaSettings settings, PollProperties poll, HistoryProperties history, SnapshotStore store,
            MeterRegistry registry, Clock clock, ObjectProvider<Tracer> tracer, PayloadStep step) {
        this(settings, poll, history, store, registry, clock, tracer.getIfAvailable(() -> Tracer.NOOP), step, null,
                System::nanoTime);
    }

    private KafkaPublisher(KafkaSettings settings, PollProperties poll, HistoryProperties history,
            SnapshotStore store, MeterRegistry registry, Clock clock, Tracer tracer, PayloadStep step,
            @Nullable LogReader reader, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.tracer = tracer;
        this.step = step;
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.timeout = poll.timeout();
        this.required = PayloadTopic.Requirements.of(settings.topic(), history.retention(), poll.maxBytes().toBytes());
        String servers = settings.bootstrapServers();
        if (servers == null) {
            throw new IllegalStateException("publish mode without kafka.bootstrap-servers");
        }
        this.producerConfig = PayloadTopic.producerConfig(servers, "metrics-service-publisher", required, timeout);
        this.adminConfig = PayloadTopic.adminConfig(servers, "metrics-service-publisher-admin", KafkaProbe.TIMEOUT);
        this.reader = reader != null ? reader : new LogReader(servers, settings.topic(), required.maxMessageBytes());
        for (Failure failure : Failure.values()) {
            failures.put(failure, Counter.builder("fabric.kafka.publish.failures")
                    .description("Accepted payloads served unlogged (under a local ETag), by reason: not appended to the "
                            + "Kafka topic, or (catch_up) appended but the records before it could not be read")
                    .tag("reason", failure.tag())
                    .register(registry));
        }
        for (AppliedRecords.Refusal refusal : AppliedRecords.Refusal.values()) {
            // the consumers' counter, for this publisher's own records: they skip them alike
            skipped.put(refusal, Counter.builder("fabric.kafka.records.skipped")
                    .description("Records that built no snapshot, by reason (publish mode: this publisher's own, "
                            + "acknowledged records, skipped as the consumers skip them)")
                    .tag("reason", refusal.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        published = Counter.builder("fabric.kafka.published.records")
                .description("Payloads appended to the Kafka topic and acknowledged")
                .register(registry);
        duration = Timer.builder("fabric.kafka.publish.duration")
                .description("From handing a payload's record to the producer to its acknowledgement")
                .register(registry);
    }

    @Override
    public Snapshot accept(AcceptedPayload accepted) {
        Payload payload = new Payload(settings.sourceName(), accepted.body(), accepted.saidSampledAt(),
                accepted.collectedAt(),
                accepted.contentType() == null ? PayloadRecords.DEFAULT_CONTENT_TYPE : accepted.contentType(),
                accepted.sourceEtag());
        // as a consumer of this record computes it, from the same headers and bytes
        Instant sampledAt = AcceptedPayload.sampledAt(payload.sampledAt(), accepted.table(), payload.collectedAt());
        String identity = RecordIdentity.of(payload.sourceEtag(),
                payload.sampledAt() == null ? null : payload.sampledAt().toString(), payload.body());
        Appended appended = lastAppended;
        if (appended != null && appended.identity().equals(identity)) {
            // in the log already: fetched again because it is still served unlogged (If-None-Match names the
            // last logged payload), or sent again by the source. Not appended again (each copy would cost
            // the whole payload on the topic, and the consumers skip it); decided as its first append was
            if (offsetsWentBack) {
                return unlogged(payload, accepted, sampledAt);
            }
            if (appended.offset() <= lastOffset) {
                return store.current();
            }
            // the catch-up read failed: again, with the record as written (its collected-at, not this fetch's)
            Payload written = new Payload(payload.source(), payload.body(), payload.sampledAt(), appended.collectedAt(),
                    payload.contentType(), payload.sourceEtag());
            return logged(written, accepted,
                    AcceptedPayload.sampledAt(written.sampledAt(), accepted.table(), written.collectedAt()),
                    appended.offset());
        }
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        RecordMetadata ack;
        try {
            ack = traced(payload, deadline);
        } catch (NotPublished e) {
            return unlogged(payload, accepted, sampledAt);
        }
        lastAppended = new Appended(identity, ack.offset(), payload.collectedAt());
        return logged(payload, accepted, sampledAt, ack.offset());
    }

    /**
     * {@code payload}, appended and acknowledged at {@code offset}, applied as the consumers apply it
     * (after the records before it this publisher has not applied yet), or served unlogged when that
     * cannot be decided.
     */
    private Snapshot logged(Payload payload, AcceptedPayload accepted, Instant sampledAt, long offset) {
        long sequence = PayloadRecords.sequence(offset);
        if (offsetsWentBack || offset <= lastOffset) {
            // the topic was deleted and created again (or truncated): its offsets, so its sequences and ETags,
            // name other records than before; the consumers refuse them until restarted, and so does this
            // publisher, for good (also once the new topic's offsets pass the old ones): its payloads are
            // served unlogged, under ETags of its own, and the kafka health component is DOWN saying why
            if (!offsetsWentBack) {
                offsetsWentBack = true;
                String reason = "offsets of " + settings.topic() + " went back from " + lastOffset + " to "
                        + offset + ": the topic was deleted and created again, or truncated; every payload is "
                        + "served unlogged (its sequences and ETags would repeat ones already served) until this "
                        + "publisher is restarted (restart the consumers too)";
                update(s -> s.refusing(reason));
                log.error("Logging stopped: {}", reason);
            }
            return unlogged(payload, accepted, sampledAt);
        }
        if (lastOffset >= 0 && offset > lastOffset + 1) {
            try {
                // a budget of its own (poll.timeout), not what the append left of its own: a gap that grows
                // with each failed read must not make every later read fail too
                catchUp(lastOffset + 1, offset, System.nanoTime() + timeout.toNanos());
            } catch (RuntimeException e) {
                // records the consumers apply that this publisher has not: its state under the log's ETag
                // could differ from theirs. Unlogged until a later poll reads them.
                catchUpFailed(offset, e);
                return unlogged(payload, accepted, sampledAt);
            }
        }
        if (catchUpFailing) {
            catchUpFailing = false;
            Instant at = clock.instant();
            update(s -> s.caughtUp(at, offset));
            log.info("Records of {} up to offset {} read and applied: serving payloads under the log's identity again",
                    settings.topic(), offset);
        }
        lastOffset = Math.max(lastOffset, offset);
        AppliedRecords.Refused refused = applied.beforeParse(payload);
        if (refused == null) {
            refused = applied.afterParse(payload, sampledAt);
        }
        if (refused != null) {
            // the consumers skip this record (a copy of the payload last applied from its source, or an older
            // one): they serve the snapshot of that one, which is the current one here unless an unlogged one
            // (under an ETag of its own) is served meanwhile
            skipped.get(refused.refusal()).increment();
            if (ownSkipped++ == 0) {
                log.warn("This publisher's own record at offset {} of {} is skipped ({}), as the consumers skip it: {}; "
                        + "serving the snapshot before it (said once until one of its records applies again)", offset,
                        settings.topic(), refused.refusal().name().toLowerCase(Locale.ROOT), refused.why());
            } else {
                log.debug("Own record at offset {} skipped as the consumers skip it: {}", offset, refused.why());
            }
            return store.current();
        }
        if (ownSkipped > 0) {
            log.info("This publisher's own record at offset {} of {} applied after {} skipped", offset, settings.topic(),
                    ownSkipped);
            ownSkipped = 0;
        }
        // on the last logged snapshot, not on an unlogged one served meanwhile: the consumers never saw those
        Snapshot logged = store.publishAfter(lastLogged, accepted.table(), sampledAt, payload.collectedAt(),
                payload.sourceEtag(), sequence, PayloadRecords.etag(settings.topic(), PayloadRecords.PARTITION, offset));
        lastLogged = logged;
        applied.applied(payload, sampledAt);
        return logged;
    }

    /** {@code payload} served outside the log: an ETag of this boot's own, the last logged sequence. */
    private Snapshot unlogged(Payload payload, AcceptedPayload accepted, Instant sampledAt) {
        Snapshot current = store.current();
        if (current != null && payload.sourceEtag() != null && payload.sourceEtag().equals(current.generatorEtag())) {
            // the payload served already, fetched again because it is not in the log yet: no new snapshot
            return current;
        }
        return store.publish(accepted.table(), sampledAt, payload.collectedAt(), payload.sourceEtag(),
                current == null ? 0 : current.sequence(), unloggedTags.tag(unlogged.incrementAndGet()));
    }

    /** Counted (reason {@code catch_up}), shown by the {@code kafka} health component; said once per episode. */
    private void catchUpFailed(long offset, RuntimeException e) {
        failures.get(Failure.CATCH_UP).increment();
        String description = "not logged (" + Failure.CATCH_UP.tag() + "): offset " + offset + " of " + settings.topic()
                + " acknowledged after " + lastOffset + ", the records in between could not be read within " + timeout
                + ": " + describe(e);
        Instant at = clock.instant();
        update(s -> s.publishFailed(at, description));
        if (!catchUpFailing) {
            catchUpFailing = true;
            log.warn("Payload {}; serving it unlogged, reading them again at the next poll (the same payload is not "
                    + "appended again; said once until they are read)", description);
        } else {
            log.debug("Catch-up read still failing: {}", description);
        }
    }

    /**
     * Applies the records at offsets {@code from} to {@code to - 1} on the last logged snapshot, as a
     * consumer applies them; each becomes the last logged snapshot (and is served: its sequence is above
     * any served meanwhile). Throws when they cannot be read before {@code deadline}.
     */
    private void catchUp(long from, long to, long deadline) {
        List<ConsumerRecord<byte[], byte[]>> records = reader.read(from, to, deadline);
        int appliedCount = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Payload payload;
            try {
                payload = PayloadRecords.read(record);
            } catch (PayloadRecords.UnusableRecordException unusable) {
                continue;
            }
            if (payload.body().length == 0) {
                continue;
            }
            if (applied.beforeParse(payload) != null) {
                continue; // a duplicate, or sampled no later than the last applied (said in the header)
            }
            try {
                PayloadStep.Parsed parsed = step.parse(payload);
                if (applied.afterParse(payload, parsed.sampledAt()) != null) {
                    continue; // sampled (as derived from the bytes) no later than the last applied
                }
                lastLogged = store.publishAfter(lastLogged, parsed.table(), parsed.sampledAt(), payload.collectedAt(),
                        payload.sourceEtag(), PayloadRecords.sequence(record.offset()),
                        PayloadRecords.etag(record.topic(), record.partition(), record.offset()));
                applied.applied(payload, parsed.sampledAt());
                appliedCount++;
            } catch (RuntimeException unusable) {
                // a rejected payload, or one that could not be built: the consumers skip it too
                log.debug("Record at offset {} of {} skipped: {}", record.offset(), settings.topic(), describe(unusable));
            }
        }
        lastOffset = to - 1;
        log.info("Read offsets {}..{} of {} written besides this publisher's acknowledged appends (an append whose "
                + "acknowledgement timed out, or another publisher's): {} applied as the consumers apply them", from,
                to - 1, settings.topic(), appliedCount);
    }

    /**
     * The last <em>logged</em> payload's source ETag (none before the first): while the newest payload
     * is served unlogged, the source answers with it again rather than {@code 304}, so that it reaches
     * the log once the broker takes it, instead of waiting for the source's next change.
     */
    @Override
    public @Nullable String ifNoneMatch(@Nullable Snapshot current) {
        Snapshot logged = lastLogged;
        return logged == null ? null : logged.generatorEtag();
    }

    /** {@link #append}, a child span of the thread's current one (the poll's publish step) when there is one. */
    private RecordMetadata traced(Payload payload, long deadline) {
        Span caller = tracer.currentSpan();
        if (caller == null) {
            return append(payload, deadline);
        }
        Span span = tracer.spanBuilder().name(PUBLISH_SPAN).setParent(caller.context())
                .tag("messaging.system", "kafka").tag("messaging.destination.name", settings.topic()).start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            RecordMetadata ack = append(payload, deadline);
            span.tag("messaging.kafka.offset", ack.offset());
            return ack;
        } catch (Throwable error) {
            span.error(error);
            throw error;
        } finally {
            span.end();
        }
    }

    /**
     * The record appended and acknowledged, or {@link NotPublished}, within one deadline ({@code poll.timeout}
     * from now): each step waits at most what is left of it.
     */
    private RecordMetadata append(Payload payload, long deadline) {
        long started = System.nanoTime();
        if (!status.get().topicReady()) {
            awaitFirstProbe(deadline);
            if (!status.get().topicReady()) {
                PublishStatus now = status.get();
                String why = now.lastProbeError() != null ? now.lastProbeError()
                        : firstProbe.isDone() ? "found missing" : "the probe's first look has not ended within " + timeout;
                throw failed(Failure.TOPIC, "topic " + settings.topic() + " is not set up (the probe sets it up every "
                        + KafkaProbe.INTERVAL + ")", new KafkaException(why));
            }
        }
        if (deadline - nanoTime.getAsLong() <= 0) {
            // the wait for the probe's first look (or making the producer) took the whole deadline: the send
            // could block for max.block.ms (= poll.timeout) more
            throw failed(Failure.TIMEOUT, "nothing sent to " + settings.topic(), new KafkaException(
                    "the deadline (" + timeout + ") passed before the record was handed to the producer"));
        }
        Future<RecordMetadata> sent;
        try {
            // blocks for metadata at most max.block.ms (= poll.timeout); only the wait for the probe's first
            // look (above, a publish before it has ended) comes before it, so this exceeds the deadline by at
            // most what that wait took
            sent = producer().send(PayloadRecords.record(settings.topic(), payload));
        } catch (KafkaException e) {
            throw failed(classify(e), "sending to " + settings.topic() + " failed", e);
        }
        try {
            RecordMetadata ack = sent.get(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
            duration.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            published.increment();
            // during a catch-up episode the failure stands until the records before this one are read:
            // clearing it here would show kafka UP while this very payload may still be served unlogged
            boolean behind = catchUpFailing;
            Instant at = clock.instant();
            PublishStatus before = update(s -> behind ? s.acknowledgedBehind(at) : s.published(at, ack.offset()));
            if (before.publishFailures() > 0 && !catchUpFailing) {
                log.info("Publishing to {} resumed at offset {} after {} failed payloads", settings.topic(),
                        ack.offset(), before.publishFailures());
            }
            return ack;
        } catch (ExecutionException e) {
            throw failed(classify(e.getCause()), "no acknowledgement from " + settings.topic(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw failed(Failure.TIMEOUT, "no acknowledgement from " + settings.topic() + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(Failure.ERROR, "interrupted while waiting for an acknowledgement", e);
        }
    }

    /** Waits (at most until {@code deadline}) for the probe's first look at the topic to end. */
    private void awaitFirstProbe(long deadline) {
        try {
            firstProbe.get(Math.max(0, deadline - nanoTime.getAsLong()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            // not ended in time: the topic is not ready, said by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Failure classify(Throwable error) {
        if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
            return Failure.TIMEOUT;
        }
        if (error instanceof RecordTooLargeException
                || error instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException) {
            return Failure.TOO_LARGE;
        }
        return Failure.ERROR;
    }

    private NotPublished failed(Failure failure, String what, Throwable cause) {
        failures.get(failure).increment();
        String description = "not published to Kafka (" + failure.tag() + "): " + what + ": " + describe(cause);
        Instant at = clock.instant();
        PublishStatus now = status.updateAndGet(s -> s.publishFailed(at, description));
        if (now.publishFailures() == 1 && !catchUpFailing) {
            log.warn("Payload {}; serving it unlogged (ETag \"<boot>-<n>\", sequence of the last published record) "
                    + "until a payload is published again", description);
        }
        if (failure == Failure.TOO_LARGE) {
            // the topic may allow less than required (altered since): the probe checks it again
            update(s -> s.topicReady(false));
        }
        log.debug("Publish failure {} in a row: {}", now.publishFailures(), description);
        return new NotPublished();
    }

    /** The messages of {@code error} and its causes, each said once, without stack traces. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < 4; depth++, cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }

    /** A payload that was not appended: counted and said already, applied unlogged. */
    private static final class NotPublished extends RuntimeException {

        NotPublished() {
            super(null, null, false, false);
        }
    }

    /** Creates or checks the topic within {@code bound}; throws a {@link KafkaException} when it cannot. */
    private void ensureTopic(Duration bound) {
        PayloadTopic.ensure(admin(), required, bound);
        update(s -> s.topicReady(true));
    }

    /**
     * One look at the broker, on the probe's thread (never the poll's): sets the topic up while it is
     * not, else checks that it is still there. Records the outcome for the {@code kafka} health component.
     */
    void probe() {
        try {
            probeOnce();
        } finally {
            firstProbe.complete(null);
        }
    }

    private void probeOnce() {
        try {
            if (!status.get().topicReady()) {
                ensureTopic(KafkaProbe.TIMEOUT);
            } else {
                admin().describeTopics(List.of(settings.topic())).allTopicNames()
                        .get(KafkaProbe.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            probesFailed.set(0);
            PublishStatus before = update(s -> s.probed(clock.instant(), null));
            if (before.lastProbeError() != null) {
                log.info("Kafka broker {} reachable again (topic {})", settings.bootstrapServers(), settings.topic());
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UnknownTopicOrPartitionException) {
                update(s -> s.topicReady(false));
            }
            String error = cause instanceof java.util.concurrent.TimeoutException
                    ? "no answer from " + settings.bootstrapServers() + " within " + KafkaProbe.TIMEOUT
                    : cause.getClass().getSimpleName() + ": " + describe(cause);
            PublishStatus before = update(s -> s.probed(clock.instant(), error));
            if (probesFailed.incrementAndGet() % ADMIN_RENEWED_AFTER == 0) {
                renewAdmin();
            }
            if (before.lastProbeError() == null) {
                log.warn("Kafka broker {} (topic {}) not usable: {}; polling and serving go on, payloads are "
                        + "served unlogged until they can be published", settings.bootstrapServers(), settings.topic(), error);
            } else {
                log.debug("Kafka broker still not usable: {}", error);
            }
        }
    }

    /** The producer, made on first use; a {@link KafkaException} when it cannot be (no bootstrap name resolves). */
    private synchronized Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig);
        }
        return producer;
    }

    /** The admin client, made on first use (the probe's thread). */
    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
            adminsMade.incrementAndGet();
        }
        return admin;
    }

    /** Closes the admin client (without waiting for its calls): the next probe makes one from the bootstrap list. */
    private void renewAdmin() {
        Admin old;
        synchronized (this) {
            old = admin;
            admin = null;
        }
        if (old != null) {
            log.debug("Admin client closed after {} failed probes in a row: the next probe bootstraps a new one",
                    ADMIN_RENEWED_AFTER);
            old.close(Duration.ZERO);
        }
    }

    int adminsMade() {
        return adminsMade.get();
    }

    /** Applies {@code change}; returns the status before it. */
    private PublishStatus update(UnaryOperator<PublishStatus> change) {
        return status.getAndUpdate(change);
    }

    PublishStatus status() {
        return status.get();
    }

    KafkaSettings settings() {
        return settings;
    }

    /** Runs after the poll loop has stopped (a lifecycle bean stops before singletons are destroyed). */
    @Override
    public void destroy() {
        Producer<byte[], byte[]> madeProducer;
        Admin madeAdmin;
        synchronized (this) {
            madeProducer = producer;
            madeAdmin = admin;
        }
        if (madeProducer != null) {
            madeProducer.close(timeout);
        }
        if (madeAdmin != null) {
            madeAdmin.close(timeout);
        }
    }
}
