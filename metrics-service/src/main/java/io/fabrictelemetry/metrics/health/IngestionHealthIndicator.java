package io.fabrictelemetry.metrics.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.ingest.IngestionStatus;
import io.fabrictelemetry.metrics.ingest.IngestionTracker;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * The {@code ingestion} health component, in the manner of a Prometheus target's health:
 * UNKNOWN before the first poll completes; UP while polls succeed, or have failed for less than
 * {@code stale.after}; DOWN when no poll has succeeded for longer than that (or none ever has).
 * Left out of the liveness and readiness groups: a stale generator never restarts this service.
 */
@Component("ingestion")
class IngestionHealthIndicator implements HealthIndicator {

    private final IngestionTracker tracker;
    private final SnapshotStore store;
    private final StaleProperties stale;
    private final Clock clock;

    IngestionHealthIndicator(IngestionTracker tracker, SnapshotStore store, StaleProperties stale, Clock clock) {
        this.tracker = tracker;
        this.store = store;
        this.stale = stale;
        this.clock = clock;
    }

    @Override
    public Health health() {
        IngestionStatus status = tracker.status();
        Snapshot snapshot = store.current();
        Instant now = clock.instant();
        Health.Builder health;
        if (status.lastPollAt() == null) {
            health = Health.unknown().withDetail("reason", "no poll has completed yet");
        } else if (status.lastSuccessAt() == null) {
            health = Health.down().withDetail("reason", "no poll has succeeded yet");
        } else if (Duration.between(status.lastSuccessAt(), now).compareTo(stale.after()) > 0) {
            health = Health.down().withDetail("reason",
                    "no successful poll for longer than stale.after (" + stale.after() + ")");
        } else {
            health = Health.up();
        }
        health.withDetail("consecutiveFailures", status.consecutiveFailures())
                .withDetail("staleAfterMs", stale.after().toMillis());
        if (status.lastOutcome() != null) {
            health.withDetail("lastOutcome", status.lastOutcome().tag());
        }
        if (status.lastPollDuration() != null) {
            health.withDetail("lastPollDurationMs", status.lastPollDuration().toMillis());
        }
        if (status.lastSuccessAt() != null) {
            health.withDetail("lastSuccess", TimeFormat.iso(status.lastSuccessAt()));
        }
        if (status.lastError() != null) {
            health.withDetail("lastError", status.lastError());
        }
        if (status.failingSince() != null) {
            health.withDetail("failingSince", TimeFormat.iso(status.failingSince()));
        }
        if (snapshot != null) {
            health.withDetail("dataAgeMs", Math.max(0, Duration.between(snapshot.sampledAt(), now).toMillis()))
                    .withDetail("snapshotSequence", snapshot.sequence())
                    .withDetail("switches", snapshot.switchCount());
        }
        return health.build();
    }
}
