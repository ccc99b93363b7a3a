package io.fabrictelemetry.metrics.kafka;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code kafkaCatchUp} component, part of the readiness group: in {@code consume} mode
 * OUT_OF_SERVICE until the consumer has read the topic up to the end offset it read at start (so a
 * replica joins the load balancer with the history and rates the others have), UP from then on. In
 * the other modes nothing is consumed and it is UP. (It exists in every mode because the readiness
 * group names it.)
 */
@Component("kafkaCatchUp")
class CatchUpHealthIndicator implements HealthIndicator {

    private final ObjectProvider<ConsumerTracker> tracker;

    CatchUpHealthIndicator(ObjectProvider<ConsumerTracker> tracker) {
        this.tracker = tracker;
    }

    @Override
    public Health health() {
        ConsumerTracker consumer = tracker.getIfAvailable();
        if (consumer == null) {
            return Health.up().withDetail("reason", "not consuming (INGEST_MODE is not consume): nothing to catch up")
                    .build();
        }
        ConsumerStatus status = consumer.status();
        Health.Builder health;
        if (status.caughtUp()) {
            health = Health.up();
        } else if (status.endAtStart() < 0) {
            health = Health.outOfService().withDetail("reason", "the topic's end offset has not been read yet");
        } else {
            health = Health.outOfService().withDetail("reason", "catching up: reading the topic up to the end offset"
                    + " read at start");
        }
        if (status.endAtStart() >= 0) {
            health.withDetail("endOffsetAtStart", status.endAtStart());
        }
        return health.withDetail("position", status.position()).build();
    }
}
