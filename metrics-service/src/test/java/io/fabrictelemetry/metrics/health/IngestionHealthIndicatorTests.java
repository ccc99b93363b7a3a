package io.fabrictelemetry.metrics.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.fabrictelemetry.metrics.ingest.IngestionStatus;
import io.fabrictelemetry.metrics.ingest.IngestionTracker;
import io.fabrictelemetry.metrics.ingest.PollOutcome;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

class IngestionHealthIndicatorTests {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final StaleProperties stale = new StaleProperties(Duration.ofSeconds(30));

    /** A tracker already holding the given status (IngestionTracker's writer is package-private). */
    private static IngestionTracker tracker(IngestionStatus status) {
        return new IngestionTracker() {
            @Override
            public IngestionStatus status() {
                return status;
            }
        };
    }

    private Health health(IngestionStatus status) {
        return new IngestionHealthIndicator(tracker(status), store, stale, Clock.fixed(NOW, ZoneOffset.UTC)).health();
    }

    private void publishSnapshotSampledAt(Instant sampledAt) {
        store.publish(Table.of(List.of("a"), List.of("sw-1"), new long[] {1}, new byte[] {CellKind.INTEGER}, 0, 0),
                sampledAt, sampledAt, null);
    }

    @Test
    void unknownBeforeTheFirstPollCompletes() {
        Health health = health(new IngestionStatus(null, null, null, null, 0, null, null));
        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void upWhilePollsSucceedWithDetails() {
        publishSnapshotSampledAt(NOW.minusSeconds(3));
        Health health = health(new IngestionStatus(NOW.minusSeconds(1), PollOutcome.SUCCESS, Duration.ofMillis(42),
                NOW.minusSeconds(1), 0, null, null));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("lastOutcome", "success")
                .containsEntry("lastPollDurationMs", 42L)
                .containsEntry("lastSuccess", "2026-11-28T09:59:59.000Z")
                .containsEntry("consecutiveFailures", 0L)
                .containsEntry("dataAgeMs", 3000L)
                .containsEntry("switches", 1);
    }

    @Test
    void stillUpWhenPollsHaveFailedForLessThanStaleAfter() {
        publishSnapshotSampledAt(NOW.minusSeconds(20));
        Health health = health(new IngestionStatus(NOW, PollOutcome.TIMEOUT, Duration.ofMillis(1500),
                NOW.minusSeconds(20), 9, "no complete response within poll.timeout", NOW.minusSeconds(18)));
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("consecutiveFailures", 9L)
                .containsEntry("lastError", "no complete response within poll.timeout")
                .containsEntry("lastOutcome", "timeout");
    }

    @Test
    void downWhenNoPollHasSucceededForLongerThanStaleAfter() {
        publishSnapshotSampledAt(NOW.minusSeconds(31));
        Health health = health(new IngestionStatus(NOW, PollOutcome.CONNECT_ERROR, Duration.ofMillis(3),
                NOW.minusSeconds(31), 15, "Connection refused", NOW.minusSeconds(29)));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("lastError", "Connection refused")
                .containsEntry("dataAgeMs", 31_000L)
                .containsKey("reason");
    }

    @Test
    void downWhenPollsHaveCompletedButNoneSucceeded() {
        Health health = health(new IngestionStatus(NOW, PollOutcome.HTTP_ERROR, Duration.ofMillis(3),
                null, 1, "generator answered HTTP 500", NOW));
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    }
}
