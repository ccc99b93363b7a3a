package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Status;

class ConsumerLivenessHealthIndicatorTests {

    static final Instant START = Instant.parse("2026-12-07T10:00:00Z");

    final ConsumerTracker tracker = new ConsumerTracker();
    Instant now = START;
    final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    ConsumerLivenessHealthIndicator indicator(ConsumerTracker consumer) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        if (consumer != null) {
            beans.addBean("consumerTracker", consumer);
        }
        return new ConsumerLivenessHealthIndicator(beans.getBeanProvider(ConsumerTracker.class), clock);
    }

    @Test
    void isUnknownOutsideConsumeModeAndBeforeTheConsumerStarts() {
        assertThat(indicator(null).health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(indicator(tracker).health().getStatus()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void turnsDownWhenTheConsumerThreadHasNotComeRoundForLongerThanTheLimitCountedFromItsStart() {
        tracker.update(status -> status.startedAt(START));
        ConsumerLivenessHealthIndicator liveness = indicator(tracker);

        now = START.plus(ConsumerLivenessHealthIndicator.LIMIT);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
        now = now.plusMillis(1);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(liveness.health().getDetails()).containsEntry("sinceLastProgressMs",
                ConsumerLivenessHealthIndicator.LIMIT.toMillis() + 1);
    }

    @Test
    void eachRoundOfTheLoopKeepsItUpAndItTurnsDownOnlyWhenTheRoundsStop() {
        tracker.update(status -> status.startedAt(START));
        ConsumerLivenessHealthIndicator liveness = indicator(tracker);
        Duration step = ConsumerLivenessHealthIndicator.LIMIT.dividedBy(2);
        for (int round = 0; round < 5; round++) {
            now = now.plus(step);
            tracker.progressed(now);
            assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
        }
        Instant last = now;
        now = last.plus(ConsumerLivenessHealthIndicator.LIMIT).plusSeconds(1);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(liveness.health().getDetails()).containsEntry("lastProgress", io.fabrictelemetry.conventions.TimeFormat.iso(last));

        tracker.progressed(now);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
    }
}
