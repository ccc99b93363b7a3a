package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the topic's consumer reports: records applied, records skipped by reason, and its lag. Gauges
 * read the strongly held tracker bean (Micrometer holds gauge targets weakly).
 */
@Component
@ConditionalOnIngestMode(IngestMode.CONSUME)
class ConsumerMetrics {

    /** Why a record built no snapshot (the {@code reason} tag of {@code fabric_kafka_records_skipped_total}). */
    enum Skip {
        /** the same payload from the same source as the record applied before it (a second publisher) */
        DUPLICATE,
        /**
         * sampled no later than the record last applied from the same source (an older generation
         * that a second publisher appended after a newer one, during a rolling update)
         */
        STALE,
        /** no key: the record names no source */
        MISSING_KEY,
        /** no value, an empty one, or headers missing or unreadable (no {@code collected-at}) */
        UNUSABLE,
        /** the payload was refused as a whole by the parser (not CSV, no header, no usable row) */
        REJECTED,
        /** building its snapshot failed in the service itself (logged with its stack trace) */
        ERROR;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Counter applied;
    private final Map<Skip, Counter> skipped = new EnumMap<>(Skip.class);

    ConsumerMetrics(MeterRegistry registry, ConsumerTracker tracker, Clock clock) {
        applied = Counter.builder("fabric.kafka.records.applied")
                .description("Records read from the topic that became a snapshot")
                .register(registry);
        for (Skip reason : Skip.values()) {
            skipped.put(reason, Counter.builder("fabric.kafka.records.skipped")
                    .description("Records read from the topic that built no snapshot, by reason")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
        Gauge.builder("fabric.kafka.consumer.lag.records", tracker, t -> {
                    long lag = t.status().lagRecords();
                    return lag < 0 ? Double.NaN : lag;
                })
                .description("Records between the consumer's position and the end of the topic last read from the"
                        + " broker (NaN before the first read)")
                .register(registry);
        Gauge.builder("fabric.kafka.consumer.lag.seconds", tracker, t -> lagSeconds(t.status(), clock))
                .description("0 when no record waits; else now minus the broker timestamp of the last record read"
                        + " (NaN while records wait and none was read yet)")
                .register(registry);
    }

    static double lagSeconds(ConsumerStatus status, Clock clock) {
        long records = status.lagRecords();
        if (records < 0) {
            return Double.NaN;
        }
        if (records == 0) {
            return 0;
        }
        if (status.lastRecordTime() == null) {
            return Double.NaN;
        }
        return Math.max(0, clock.millis() - status.lastRecordTime().toEpochMilli()) / 1000.0;
    }

    void applied() {
        applied.increment();
    }

    void skipped(Skip reason) {
        skipped.get(reason).increment();
    }
}
