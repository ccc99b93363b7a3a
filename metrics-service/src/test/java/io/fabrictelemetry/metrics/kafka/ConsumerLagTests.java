package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code fabric_kafka_consumer_lag_seconds} ({@link ConsumerMetrics#lagSeconds}): how far behind the
 * log the consumer is, in time, from the broker timestamp of the last record it read.
 */
class ConsumerLagTests {

    static final Instant RECORD_TIME = Instant.parse("2026-12-07T10:00:00Z");
    static final Clock NOW = Clock.fixed(RECORD_TIME.plusMillis(2_500), ZoneOffset.UTC);

    /** Started, the end offset read as {@code end}, and records up to {@code next} read (the last at {@link #RECORD_TIME}). */
    static ConsumerStatus readUpTo(long next, long end) {
        ConsumerStatus status = ConsumerStatus.INITIAL.startedAt(RECORD_TIME).answered(RECORD_TIME, end);
        return next == 0 ? status : status.read(next, RECORD_TIME, next);
    }

    @Test
    void isNotANumberBeforeTheEndOffsetWasEverRead() {
        assertThat(ConsumerMetrics.lagSeconds(ConsumerStatus.INITIAL, NOW)).isNaN();
        // a record read, but how many more wait is not known
        assertThat(ConsumerMetrics.lagSeconds(ConsumerStatus.INITIAL.startedAt(RECORD_TIME).read(5, RECORD_TIME, 5),
                NOW)).isNaN();
    }

    @Test
    void isZeroWhenNoRecordWaitsHoweverOldTheLastRecordIs() {
        assertThat(ConsumerMetrics.lagSeconds(readUpTo(7, 7), NOW)).isZero();
        // a topic that received nothing for an hour is not an hour behind
        assertThat(ConsumerMetrics.lagSeconds(readUpTo(7, 7), Clock.offset(NOW, java.time.Duration.ofHours(1))))
                .isZero();
    }

    @Test
    void isNowMinusTheBrokerTimestampOfTheLastRecordReadWhileRecordsWait() {
        assertThat(ConsumerMetrics.lagSeconds(readUpTo(5, 7), NOW)).isEqualTo(2.5);
    }

    @Test
    void isNotANumberWhileRecordsWaitAndNoneWasReadYet() {
        assertThat(ConsumerMetrics.lagSeconds(readUpTo(0, 7), NOW)).isNaN();
    }

    @Test
    void isNeverNegativeWhenTheBrokersClockIsAheadOfOurs() {
        Clock behind = Clock.fixed(RECORD_TIME.minusSeconds(3), ZoneOffset.UTC);
        assertThat(ConsumerMetrics.lagSeconds(readUpTo(5, 7), behind)).isZero();
    }

    @Test
    void theGaugeReadsTheConsumersCurrentStatus() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsumerTracker tracker = new ConsumerTracker();
        new ConsumerMetrics(registry, tracker, NOW);
        assertThat(registry.get("fabric.kafka.consumer.lag.seconds").gauge().value()).isNaN();

        tracker.update(status -> readUpTo(5, 7));
        assertThat(registry.get("fabric.kafka.consumer.lag.seconds").gauge().value()).isEqualTo(2.5);
        assertThat(registry.get("fabric.kafka.consumer.lag.records").gauge().value()).isEqualTo(2);

        tracker.update(status -> status.read(7, RECORD_TIME.plusSeconds(1), 7));
        assertThat(registry.get("fabric.kafka.consumer.lag.seconds").gauge().value()).isZero();
    }
}
