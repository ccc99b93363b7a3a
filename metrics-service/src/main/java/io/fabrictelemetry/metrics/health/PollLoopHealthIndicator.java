package io.fabrictelemetry.metrics.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.ingest.IngestionTracker;
import io.fabrictelemetry.metrics.ingest.PollProperties;

/**
 * The {@code pollLoopLiveness} component, part of the liveness group: DOWN when the poll loop has not
 * completed a poll, whatever its outcome, for {@value #PERIODS} × ({@code poll.timeout} +
 * {@code poll.interval}), counted from its last completed poll or, before the first, from its start.
 *
 * <p>A completed poll, not a tick: ticks keep coming while a poll hangs (they are dropped), so only
 * a poll that ends shows that the loop is alive. A fetch is cut at {@code poll.timeout}, so a loop
 * that works completes one poll per interval, or per timeout + interval when ticks were dropped;
 * three times that leaves room for a slow parse or a garbage-collection pause. A stuck parse or
 * build (beyond the timeout's reach), or a schedule that has ended, is something only a restart
 * mends. A dead generator is not: failed polls complete, so it never turns this DOWN (that is the
 * {@code ingestion} component's business, outside the probes).
 */
@Component("pollLoopLiveness")
class PollLoopHealthIndicator implements HealthIndicator {

    static final int PERIODS = 3;

    private final IngestionTracker tracker;
    private final Duration limit;
    private final Clock clock;

    PollLoopHealthIndicator(IngestionTracker tracker, PollProperties poll, Clock clock) {
        this.tracker = tracker;
        this.limit = poll.timeout().plus(poll.interval()).multipliedBy(PERIODS);
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant started = tracker.loopStartedAt();
        if (started == null) {
            return Health.unknown().withDetail("reason", "the poll loop is not running")
                    .withDetail("limitMs", limit.toMillis()).build();
        }
        Instant lastPoll = tracker.status().lastPollAt();
        Instant progress = lastPoll != null && !lastPoll.isBefore(started) ? lastPoll : started;
        Duration quiet = Duration.between(progress, clock.instant());
        Health.Builder health = quiet.compareTo(limit) > 0
                ? Health.down().withDetail("reason", "no poll has completed for longer than " + PERIODS
                        + " × (poll.timeout + poll.interval) (" + limit.toMillis() + "ms"
                        + "): the poll loop is stuck or has ended")
                : Health.up();
        health.withDetail("loopStarted", TimeFormat.iso(started));
        if (lastPoll != null && !lastPoll.isBefore(started)) {
            health.withDetail("lastPollCompleted", TimeFormat.iso(lastPoll));
        }
        return health.withDetail("sinceLastPollMs", Math.max(0, quiet.toMillis()))
                .withDetail("limitMs", limit.toMillis())
                .build();
    }
}
