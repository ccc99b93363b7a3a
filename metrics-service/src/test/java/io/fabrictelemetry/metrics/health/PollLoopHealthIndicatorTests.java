package io.fabrictelemetry.metrics.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.ingest.IngestionTracker;
import io.fabrictelemetry.metrics.ingest.PollOutcome;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.ingest.VirtualTimePollLoop;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Liveness follows the real poll loop in virtual time: the indicator's clock reads the scheduler
 * that drives the loop's ticks and timeouts. No sleeps.
 */
class PollLoopHealthIndicatorTests {

    // 3 x (1.5 s + 2 s) = 10.5 s without a completed poll turns liveness DOWN
    private static final PollProperties POLL = new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
            DataSize.ofMegabytes(1));

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final IngestionTracker tracker = new IngestionTracker();
    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final PollLoopHealthIndicator liveness = new PollLoopHealthIndicator(tracker, POLL, new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(time.now(TimeUnit.MILLISECONDS));
        }
    });
    private Disposable loop = () -> { };

    @AfterEach
    void stop() {
        loop.dispose();
    }

    @Test
    void loopStuckInAStepTheTimeoutDoesNotReachTurnsLivenessDownAfterThreeTimesTimeoutPlusInterval() {
        // the first poll's parse and build wait on a worker that never runs them: beyond the timeout's reach
        Queue<Runnable> parked = new ArrayDeque<>();
        loop = VirtualTimePollLoop.start(tracker, store, POLL, time, Schedulers.fromExecutor(parked::add), false);
        assertThat(parked).hasSize(1);

        time.advanceTimeBy(Duration.ofMillis(10_500)); // ticks keep coming, and are dropped
        Health health = liveness.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("sinceLastPollMs", 10_500L).containsEntry("limitMs", 10_500L)
                .containsEntry("loopStarted", "1970-01-01T00:00:00.000Z").doesNotContainKey("lastPollCompleted");

        time.advanceTimeBy(Duration.ofMillis(1));
        health = liveness.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "no poll has completed for longer than"
                + " 3 × (poll.timeout + poll.interval) (10500ms): the poll loop is stuck or has ended")
                .containsEntry("sinceLastPollMs", 10_501L);
        assertThat(tracker.status().lastPollAt()).isNull();

        parked.poll().run(); // the stuck poll completes at last
        health = liveness.health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("lastPollCompleted", "1970-01-01T00:00:10.501Z")
                .containsEntry("sinceLastPollMs", 0L);
    }

    @Test
    void loopWhoseEveryPollFailsIsAliveBecauseItsPollsComplete() {
        loop = VirtualTimePollLoop.start(tracker, store, POLL, time, Schedulers.immediate(), true);

        time.advanceTimeBy(Duration.ofMinutes(5));

        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.CONNECT_ERROR);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
        assertThat(liveness.health().getDetails()).containsEntry("sinceLastPollMs", 0L);
    }

    @Test
    void longPollThatDropsTicksButCompletesWithinTheLimitKeepsLivenessUp() {
        Queue<Runnable> parked = new ArrayDeque<>();
        Scheduler work = Schedulers.fromExecutor(parked::add);
        loop = VirtualTimePollLoop.start(tracker, store, POLL, time, work, false);

        for (int poll = 0; poll < 5; poll++) {
            time.advanceTimeBy(Duration.ofSeconds(9)); // each poll's parse takes 9 s: four ticks dropped
            assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
            parked.poll().run();
            time.advanceTimeBy(Duration.ofSeconds(1)); // the next tick starts the next poll
        }
        assertThat(store.current().sequence()).isEqualTo(5);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void unknownWhileNoLoopRunsBeforeStartAndAfterShutdown() {
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UNKNOWN);

        loop = VirtualTimePollLoop.start(tracker, store, POLL, time, Schedulers.immediate(), false);
        assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);

        loop.dispose();
        time.advanceTimeBy(Duration.ofMinutes(1));
        Health health = liveness.health();
        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails()).containsEntry("reason", "the poll loop is not running");
    }
}
