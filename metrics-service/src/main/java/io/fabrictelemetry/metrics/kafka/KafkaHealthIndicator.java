package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.TimeFormat;

/**
 * The {@code kafka} health component in {@code publish} mode: DOWN for good once the log's offsets
 * went back (the topic was recreated: the publisher serves every payload unlogged until restarted, its
 * reason says so, as the consumers' refusal does); else UNKNOWN before anything was tried, DOWN
 * when the last publish failed or the last probe of the topic did (within
 * {@link KafkaProbe#INTERVAL} + {@link KafkaProbe#TIMEOUT} of the broker going away, payloads or
 * not), else UP. Outside the liveness and readiness groups: a publisher that cannot publish still
 * polls and serves. Its details have the shape of the consumers' ({@code role}, {@code lastContact},
 * {@code lastError}, {@code failingSince}).
 */
@Component("kafka")
@ConditionalOnIngestMode(IngestMode.PUBLISH)
class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaPublisher publisher;
    private final Clock clock;

    KafkaHealthIndicator(KafkaPublisher publisher, Clock clock) {
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public Health health() {
        PublishStatus status = publisher.status();
        Health.Builder health;
        if (status.refused() != null) {
            health = Health.down().withDetail("reason", status.refused());
        } else if (status.unknown()) {
            health = Health.unknown().withDetail("reason", "nothing published or probed yet");
        } else if (status.down()) {
            health = Health.down().withDetail("reason", status.publishFailures() > 0
                    ? "payloads are served unlogged, under local ETags (lastError says why)"
                    : "the broker does not answer");
        } else {
            health = Health.up();
        }
        health.withDetail("role", "publisher")
                .withDetail("topic", publisher.settings().topic())
                .withDetail("topicReady", status.topicReady())
                .withDetail("consecutivePublishFailures", status.publishFailures());
        KafkaHealthDetails.contact(health, status.lastContact(), status.lastError(), status.failingSince(), clock);
        if (status.lastPublishedAt() != null) {
            health.withDetail("lastPublished", TimeFormat.iso(status.lastPublishedAt()))
                    .withDetail("lastOffset", status.lastOffset());
        }
        return health.build();
    }
}
