package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code kafka} health component in {@code consume} mode: UNKNOWN until the broker first answers,
 * UP while its last exchange with the broker succeeded, DOWN once one failed, its {@code reason}
 * taken from that failure (the broker did not answer an end-offset read, which is bounded by
 * {@link RecordConsumer#CALL_TIMEOUT} and made every {@link RecordConsumer#CHECK_EVERY}, so an
 * unreachable broker shows within a minute; or the topic has no partition yet; or any other), and
 * DOWN for good once the log's offsets went back below the consumer's position (it applies no record
 * any more; a restart reads the topic anew). Outside the probes: replicas keep serving the last
 * snapshot while the broker is away, and restarting them would not bring it back.
 */
@Component("kafka")
@ConditionalOnIngestMode(IngestMode.CONSUME)
class ConsumerHealthIndicator implements HealthIndicator {

    private final ConsumerTracker tracker;
    private final Clock clock;

    ConsumerHealthIndicator(ConsumerTracker tracker, Clock clock) {
        this.tracker = tracker;
        this.clock = clock;
    }

    @Override
    public Health health() {
        ConsumerStatus status = tracker.status();
        Health.Builder health;
        if (status.refused() != null) {
            health = Health.down().withDetail("reason", status.refused());
        } else if (status.reachable() == null) {
            health = Health.unknown().withDetail("reason", "the broker has not answered yet");
        } else if (status.reachable()) {
            health = Health.up();
        } else {
            String error = status.lastError() == null ? "the last exchange with the broker failed" : status.lastError();
            health = Health.down().withDetail("reason", error + "; serving the last snapshot");
        }
        health.withDetail("role", "consumer");
        KafkaHealthDetails.contact(health, status.lastContact(), status.lastError(), status.failingSince(), clock);
        health.withDetail("position", status.position());
        if (status.lagRecords() >= 0) {
            health.withDetail("lagRecords", status.lagRecords());
        }
        return health.build();
    }
}
