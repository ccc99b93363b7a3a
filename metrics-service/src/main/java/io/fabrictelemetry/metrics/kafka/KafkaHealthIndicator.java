package io.fabrictelemetry.metrics.kafka;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.TimeFormat;

/**
 * The publisher's {@code kafka} health component: UNKNOWN before anything was tried, DOWN when the
 * last publish failed or the last probe of the topic did, else UP. Outside the liveness and readiness
 * groups: a publisher that cannot publish still serves (its last published snapshot).
 */
@Component("kafka")
@ConditionalOnIngestMode(IngestMode.PUBLISH)
class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaPublisher publisher;

    KafkaHealthIndicator(KafkaPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Health health() {
        PublishStatus status = publisher.status();
        Health.Builder health = status.unknown() ? Health.unknown() : status.down() ? Health.down() : Health.up();
        health.withDetail("mode", IngestMode.PUBLISH.value())
                .withDetail("topic", publisher.settings().topic())
                .withDetail("bootstrapServers", String.valueOf(publisher.settings().bootstrapServers()))
                .withDetail("topicReady", status.topicReady())
                .withDetail("consecutivePublishFailures", status.publishFailures());
        if (status.lastPublishedAt() != null) {
            health.withDetail("lastPublished", TimeFormat.iso(status.lastPublishedAt()))
                    .withDetail("lastOffset", status.lastOffset());
        }
        if (status.lastPublishError() != null) {
            health.withDetail("lastPublishError", status.lastPublishError());
        }
        if (status.lastPublishFailedAt() != null) {
            health.withDetail("lastPublishFailure", TimeFormat.iso(status.lastPublishFailedAt()));
        }
        if (status.lastProbeAt() != null) {
            health.withDetail("lastProbe", TimeFormat.iso(status.lastProbeAt()));
        }
        if (status.lastProbeError() != null) {
            health.withDetail("lastProbeError", status.lastProbeError());
        }
        return health.build();
    }
}
