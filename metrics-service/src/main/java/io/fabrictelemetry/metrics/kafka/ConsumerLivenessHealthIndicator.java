package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.TimeFormat;

/**
 * The {@code consumerLiveness} component, part of the liveness group: in {@code consume} mode DOWN
 * when the topic's consumer thread has not come round its loop for {@link #LIMIT}, counted from its
 * last round or, before the first, from its start: a consumer stuck inside a build or a wait is
 * something only a restart mends, and it must not stall silently.
 *
 * <p>A working consumer comes round at least once per poll for records ({@link RecordConsumer#POLL},
 * whether or not the broker answers), per record handled, and per failure dealt with. The longest
 * quiet a working one leaves is a record's build (seconds at 200,000 ports) plus its wait for
 * history ({@link RecordConsumer#HISTORY_WAIT}) plus an end-offset read ({@link RecordConsumer#CALL_TIMEOUT}),
 * or a backoff ({@link RecordConsumer#MAX_BACKOFF}) plus a new consumer's start (a partition lookup
 * and three offset reads, each bounded by {@code CALL_TIMEOUT}): about 70 s. The limit is more than
 * twice that, so a garbage-collection pause or a loaded machine does not restart a healthy replica.
 * A broker that is away is not a stuck consumer: it keeps coming round, so that never turns this
 * DOWN (the {@code kafka} component says it). In the other modes nothing is consumed: UNKNOWN, which
 * the liveness group reads as nothing to say (it exists in every mode because the group names it).
 */
@Component("consumerLiveness")
class ConsumerLivenessHealthIndicator implements HealthIndicator {

    static final Duration LIMIT = Duration.ofMinutes(3);

    private final ObjectProvider<ConsumerTracker> tracker;
    private final Clock clock;

    ConsumerLivenessHealthIndicator(ObjectProvider<ConsumerTracker> tracker, Clock clock) {
        this.tracker = tracker;
        this.clock = clock;
    }

    @Override
    public Health health() {
        ConsumerTracker consumer = tracker.getIfAvailable();
        if (consumer == null) {
            return Health.unknown().withDetail("reason", "not consuming (INGEST_MODE is not consume)").build();
        }
        Instant started = consumer.status().started();
        if (started == null) {
            return Health.unknown().withDetail("reason", "the consumer has not started")
                    .withDetail("limitMs", LIMIT.toMillis()).build();
        }
        Instant last = consumer.lastProgress();
        Instant progress = last != null && last.isAfter(started) ? last : started;
        Duration quiet = Duration.between(progress, clock.instant());
        Health.Builder health = quiet.compareTo(LIMIT) > 0
                ? Health.down().withDetail("reason", "the consumer thread has not come round its loop for longer than "
                        + LIMIT.toMillis() + "ms: it is stuck")
                : Health.up();
        health.withDetail("consumerStarted", TimeFormat.iso(started));
        if (last != null) {
            health.withDetail("lastProgress", TimeFormat.iso(last));
        }
        return health.withDetail("sinceLastProgressMs", Math.max(0, quiet.toMillis()))
                .withDetail("limitMs", LIMIT.toMillis())
                .build();
    }
}
