package io.fabrictelemetry.metrics.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/**
 * The {@code snapshot} component, part of the readiness group: ready once a first snapshot exists,
 * and ready from then on, stale or not, because the API keeps answering from it.
 */
@Component("snapshot")
class SnapshotHealthIndicator implements HealthIndicator {

    private final SnapshotStore store;

    SnapshotHealthIndicator(SnapshotStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        Snapshot snapshot = store.current();
        if (snapshot == null) {
            return Health.outOfService().withDetail("reason", "no snapshot collected yet").build();
        }
        return Health.up().withDetail("sequence", snapshot.sequence()).build();
    }
}
