package io.fabrictelemetry.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;


class DataAgeTests {

    @Test
    void ageIsTheWholeMillisecondsDurationCountsNeverBelowZero() {
        SplittableRandom random = new SplittableRandom(7);
        Instant base = Instant.parse("2026-11-29T14:48:53.625Z");
        for (int i = 0; i < 100_000; i++) {
            Instant sampledAt = base.plusNanos(random.nextLong(-5_000_000_000L, 5_000_000_000L));
            Instant now = base.plusNanos(random.nextLong(-5_000_000_000L, 500_000_000_000L));
            long expected = Math.max(0, Duration.between(sampledAt, now).toMillis());
            assertThat(SnapshotAnswers.ageMs(sampledAt, now)).as("%s → %s", sampledAt, now).isEqualTo(expected);
        }
    }

    @Test
    void ageAtTheEdgesOfTimeIsClampedInsteadOfOverflowing() {
        assertThat(SnapshotAnswers.ageMs(Instant.MIN, Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(SnapshotAnswers.ageMs(Instant.MAX, Instant.MIN)).isZero();
        Instant now = Instant.parse("2026-11-29T14:48:53.625Z");
        assertThat(SnapshotAnswers.ageMs(now, now)).isZero();
        assertThat(SnapshotAnswers.ageMs(now, now.plusNanos(999_999))).isZero();
        assertThat(SnapshotAnswers.ageMs(now, now.plusMillis(1))).isEqualTo(1);
        assertThat(SnapshotAnswers.ageMs(now.plusNanos(1), now.plusMillis(1))).isZero();
    }
}
