package io.fabrictelemetry.metrics.kafka;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the publisher knows of its link to the broker, swapped whole: its last publish (and the
 * failures since the last success) and its last probe of the topic. The {@code kafka} health
 * component reads it.
 *
 * @param lastPublishedAt     when a record was last acknowledged
 * @param lastOffset          that record's offset, or -1 before the first
 * @param publishFailures     failed publishes since the last acknowledged one
 * @param lastPublishError    the last failed publish's cause, while failures continue
 * @param lastProbeAt         when the topic was last probed
 * @param lastProbeError      the last probe's failure, or {@code null} when it succeeded
 * @param topicReady          the topic exists with the required settings (set up by this process)
 */
record PublishStatus(@Nullable Instant lastPublishedAt, long lastOffset, int publishFailures,
        @Nullable String lastPublishError, @Nullable Instant lastPublishFailedAt, @Nullable Instant lastProbeAt,
        @Nullable String lastProbeError, boolean topicReady) {

    static final PublishStatus INITIAL = new PublishStatus(null, -1, 0, null, null, null, null, false);

    PublishStatus published(Instant at, long offset) {
        return new PublishStatus(at, offset, 0, null, null, lastProbeAt, lastProbeError, topicReady);
    }

    PublishStatus publishFailed(Instant at, String error) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures + 1, error, at, lastProbeAt,
                lastProbeError, topicReady);
    }

    PublishStatus probed(Instant at, @Nullable String error) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures, lastPublishError, lastPublishFailedAt,
                at, error, topicReady);
    }

    PublishStatus topicReady(boolean ready) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures, lastPublishError, lastPublishFailedAt,
                lastProbeAt, lastProbeError, ready);
    }

    /** Nothing tried yet. */
    boolean unknown() {
        return lastPublishedAt == null && publishFailures == 0 && lastProbeAt == null;
    }

    /** The last publish failed, or the last probe did. */
    boolean down() {
        return publishFailures > 0 || lastProbeError != null;
    }
}
