package io.fabrictelemetry.metrics.ingest;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Every poll reports itself, pass or fail, in the spirit of Prometheus's own scrape metrics.
 * Gauges read from the strongly held tracker and store beans (Micrometer holds gauge targets
 * weakly), so they always show the current state, never a copy.
 */
@Component
class IngestMetrics {

    private final Map<PollOutcome, Counter> polls = new EnumMap<>(PollOutcome.class);
    private final Timer duration;
    private final DistributionSummary payloadBytes;
    private final Counter rejectedRows;
    private final Counter unaddressableRows;
    private final Counter rejectedValues;

    IngestMetrics(MeterRegistry registry, IngestionTracker tracker, SnapshotStore store, Clock clock) {
        for (PollOutcome outcome : PollOutcome.values()) {
            polls.put(outcome, Counter.builder("fabric.ingest.polls")
                    .description("Polls of the generator, by outcome")
                    .tag("outcome", outcome.tag())
                    .register(registry));
        }
        duration = Timer.builder("fabric.ingest.poll.duration")
                .description("Duration of whole polls (fetch, parse, publish), whatever their outcome")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        payloadBytes = DistributionSummary.builder("fabric.ingest.payload")
                .description("Size of the CSV bodies received from the generator")
                .baseUnit("bytes")
                .register(registry);
        rejectedRows = Counter.builder("fabric.ingest.rejected.rows")
                .description("Rows skipped in accepted payloads (wrong cell count, blank, repeated or unaddressable "
                        + "switch_id)")
                .register(registry);
        unaddressableRows = Counter.builder("fabric.ingest.rejected.unaddressable.rows")
                .description("Of the rows skipped, those whose switch_id no request could address: it contains a "
                        + "comma (filters split on commas) or is longer than a query name may be ("
                        + QueryParameters.MAX_PARAMETER_LENGTH + " characters)")
                .register(registry);
        rejectedValues = Counter.builder("fabric.ingest.rejected.values")
                .description("Cells of accepted payloads that were not finite numbers, kept as no reading")
                .register(registry);

        Gauge.builder("fabric.ingest.up", tracker,
                        t -> t.status().lastOutcome() != null && t.status().lastOutcome().succeeded() ? 1 : 0)
                .description("1 if the last completed poll succeeded, else 0")
                .register(registry);
        Gauge.builder("fabric.ingest.last.success.age", tracker, t -> t.status().lastSuccessAt() == null
                        ? Double.NaN
                        : millisSince(clock, t.status().lastSuccessAt().toEpochMilli()) / 1000.0)
                .description("Time since the last successful poll (NaN before the first)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("fabric.ingest.consecutive.failures", tracker, t -> t.status().consecutiveFailures())
                .description("Failed polls since the last success")
                .register(registry);
        Gauge.builder("fabric.snapshot.data.age", store, s -> s.current() == null
                        ? Double.NaN
                        : millisSince(clock, s.current().sampledAt().toEpochMilli()) / 1000.0)
                .description("Age of the served data: now minus its sampledAt (NaN before the first snapshot)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("fabric.snapshot.switches", store, s -> count(s.current(), true))
                .description("Switches in the served snapshot")
                .register(registry);
        Gauge.builder("fabric.snapshot.metrics", store, s -> count(s.current(), false))
                .description("Metrics per switch in the served snapshot")
                .register(registry);
        Gauge.builder("fabric.snapshot.sequence", store, s -> s.current() == null ? 0 : s.current().sequence())
                .description("Sequence number of the served snapshot")
                .register(registry);
    }

    private static double millisSince(Clock clock, long epochMillis) {
        return Math.max(0, clock.millis() - epochMillis);
    }

    private static double count(Snapshot snapshot, boolean switches) {
        if (snapshot == null) {
            return 0;
        }
        return switches ? snapshot.switchCount() : snapshot.metrics().size();
    }

    void poll(PollOutcome outcome, Duration took) {
        polls.get(outcome).increment();
        duration.record(took);
    }

    /** A body was received, whether or not it parses. */
    void payload(int bytes) {
        payloadBytes.record(bytes);
    }

    /** An accepted payload's rejected rows (of which {@code unaddressable} for a comma in the ID or its length) and values. */
    void rejected(int rows, int unaddressable, int values) {
        rejectedRows.increment(rows);
        unaddressableRows.increment(unaddressable);
        rejectedValues.increment(values);
    }
}
