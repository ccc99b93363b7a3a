package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;

import io.fabrictelemetry.conventions.TimeFormat;

/**
 * The details the {@code kafka} health component shows in both roles, publisher and consumer, so
 * that an operator reads one shape: when the broker last answered, the last failure, and since when
 * it has been failing.
 */
final class KafkaHealthDetails {

    private KafkaHealthDetails() {
    }

    static Health.Builder contact(Health.Builder health, @Nullable Instant lastContact, @Nullable String lastError,
            @Nullable Instant failingSince, Clock clock) {
        if (lastContact != null) {
            health.withDetail("lastContact", TimeFormat.iso(lastContact));
        }
        if (lastError != null) {
            health.withDetail("lastError", lastError);
        }
        if (failingSince != null) {
            health.withDetail("failingSince", TimeFormat.iso(failingSince))
                    .withDetail("failingForMs", Duration.between(failingSince, clock.instant()).toMillis());
        }
        return health;
    }
}
