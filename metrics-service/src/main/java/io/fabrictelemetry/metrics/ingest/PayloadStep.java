package io.fabrictelemetry.metrics.ingest;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * {@code INGEST_MODE=consume}: one payload read from the topic to one published snapshot, built the
 * way the poll loop builds one from a fetched body, with the same pieces: counted by
 * {@link IngestMetrics} ({@code fabric_ingest_payload_bytes}, the rejected rows and values), parsed by
 * {@link CsvPayloadParser} against the current snapshot, its {@code sampledAt} taken by
 * {@link AcceptedPayload#sampledAt(Instant, Table, Instant)} (the rule a publisher applies to the
 * same bytes and headers), published by {@link SnapshotStore#publish(Table, Instant, Instant, String, long, String)}
 * with the identity the record's offset gives it. Single writer: the consumer's thread.
 */
@Component
public class PayloadStep {

    private static final Logger log = LoggerFactory.getLogger(PayloadStep.class);

    private final SnapshotStore store;
    private final IngestMetrics metrics;
    private final IngestionTracker tracker;

    PayloadStep(SnapshotStore store, IngestMetrics metrics, IngestionTracker tracker) {
        this.store = store;
        this.metrics = metrics;
        this.tracker = tracker;
    }

    /** A step of its own for {@code store}, counting into {@code registry} (for a publisher made outside Spring). */
    public static PayloadStep of(SnapshotStore store, io.micrometer.core.instrument.MeterRegistry registry) {
        IngestionTracker tracker = new IngestionTracker();
        return new PayloadStep(store, new IngestMetrics(registry, tracker, store, java.time.Clock.systemUTC()), tracker);
    }

    /**
     * A payload parsed against the current snapshot, with the {@code sampledAt} its snapshot would
     * take; nothing is published yet, so a consumer can still decide not to apply it.
     *
     * @param payload   the record's payload
     * @param table     what it parsed to
     * @param sampledAt its {@code sampledAt} as {@link AcceptedPayload#sampledAt(Instant, Table, Instant)}
     *                  takes it (the rule a publisher applies to the same bytes and headers)
     */
    public record Parsed(PayloadRecords.Payload payload, Table table, Instant sampledAt) {
    }

    /** Parses the payload and publishes its snapshot as {@code sequence} with {@code etag}: {@link #parse} then {@link #publish}. */
    public Snapshot apply(PayloadRecords.Payload payload, long sequence, String etag) {
        return publish(parse(payload), sequence, etag);
    }

    /**
     * Parses the payload against the current snapshot and counts it; publishes nothing.
     *
     * @throws RuntimeException a {@link #isRejectedPayload rejected payload} when the body cannot be
     *                          used as a whole
     */
    public Parsed parse(PayloadRecords.Payload payload) {
        metrics.payload(payload.body().length);
        Table table = CsvPayloadParser.parse(payload.body(), store.current());
        metrics.rejected(table.rejectedRows(), table.unaddressableRows(), table.rejectedValues());
        return new Parsed(payload, table,
                AcceptedPayload.sampledAt(payload.sampledAt(), table, payload.collectedAt()));
    }

    /** Publishes the snapshot of a payload {@link #parse parsed} on the current snapshot, as {@code sequence} with {@code etag}. */
    public Snapshot publish(Parsed parsed, long sequence, String etag) {
        Table table = parsed.table();
        Snapshot snapshot = store.publish(table, parsed.sampledAt(), parsed.payload().collectedAt(),
                parsed.payload().sourceEtag(), sequence, etag);
        if (table.rejectedRows() > 0 || table.rejectedValues() > 0) {
            log.debug("Snapshot {} applied with {} rejected rows and {} rejected values", snapshot.sequence(),
                    table.rejectedRows(), table.rejectedValues());
        }
        return snapshot;
    }

    /** True when {@code error} is a payload that cannot be used as a whole (the parser refused it). */
    public static boolean isRejectedPayload(Throwable error) {
        return error instanceof PayloadRejectedException;
    }

    /**
     * The ingestion status and {@code fabric_ingest_polls_total} record each payload record read as
     * one poll: {@code success} for one applied, {@code parse_error} for one whose payload was
     * rejected; at the record's {@code collected-at} (never later than now), so that the
     * {@code ingestion} health says whether data the publisher collected within {@code stale.after}
     * has been applied (a replica replaying old records is not fresh).
     */
    public void recordConsumed(boolean applied, @Nullable String error, Instant collectedAt, Instant now,
            Duration took) {
        Instant at = collectedAt.isAfter(now) ? now : collectedAt;
        if (applied) {
            tracker.update(status -> status.succeeded(PollOutcome.SUCCESS, at, took));
            metrics.poll(PollOutcome.SUCCESS, took);
        } else {
            String description = error == null ? "payload rejected" : error;
            tracker.update(status -> status.failed(PollOutcome.PARSE_ERROR, description, at, took));
            metrics.poll(PollOutcome.PARSE_ERROR, took);
        }
    }
}
