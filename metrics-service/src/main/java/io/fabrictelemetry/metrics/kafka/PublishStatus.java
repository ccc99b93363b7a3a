package io.fabrictelemetry.metrics.kafka;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the publisher knows of its link to the broker, swapped whole: its last publish (and the
 * failures since the last success) and its last probe of the topic. The {@code kafka} health
 * component reads it.
 *
 * @param lastPublishedAt  when a record was last acknowledged
 * @param lastOffset       that record's offset, or -1 before the first
 * @param publishFailures  payloads not published since the last acknowledged one (served unlogged)
 * @param lastPublishError the last failed publish's cause, while failures continue
 * @param lastProbeAt      when the topic was last probed
 * @param lastProbeError   the last probe's failure, or {@code null} when it succeeded
 * @param lastContact      when the broker last answered (an acknowledgement or a probe)
 * @param failingSince     the first failure (publish or probe) since everything last succeeded
 * @param topicReady       the topic exists with the required settings (set up by this process)
 * @param refused          why no payload is served under the log's identity any more until a restart (the
 *                         log's offsets went back), or {@code null}
 */
record PublishStatus(@Nullable Instant lastPublishedAt, long lastOffset, int publishFailures,
        @Nullable String lastPublishError, @Nullable Instant lastProbeAt, @Nullable String lastProbeError,
        @Nullable Instant lastContact, @Nullable Instant failingSince, boolean topicReady, @Nullable String refused) {

    static final PublishStatus INITIAL = new PublishStatus(null, -1, 0, null, null, null, null, null, false, null);

    PublishStatus published(Instant at, long offset) {
        return new PublishStatus(at, offset, 0, null, lastProbeAt, lastProbeError, at,
                lastProbeError == null ? null : failingSince, topicReady, refused);
    }

    /**
     * Acknowledged at {@code at}, while the records before this publisher's own cannot be read (a catch-up
     * episode): the broker answered, but the payload is still served unlogged, so the failure stands
     * (count, error, since when) until {@link #caughtUp} says otherwise.
     */
    PublishStatus acknowledgedBehind(Instant at) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures, lastPublishError, lastProbeAt,
                lastProbeError, at, failingSince, topicReady, refused);
    }

    /**
     * The records a publish could not be applied after were read at last, up to its record at {@code offset}:
     * nothing fails any more.
     */
    PublishStatus caughtUp(Instant at, long offset) {
        return new PublishStatus(at, Math.max(lastOffset, offset), 0, null, lastProbeAt, lastProbeError, at,
                lastProbeError == null ? null : failingSince, topicReady, refused);
    }

    PublishStatus publishFailed(Instant at, String error) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures + 1, error, lastProbeAt, lastProbeError,
                lastContact, failingSince == null ? at : failingSince, topicReady, refused);
    }

    PublishStatus probed(Instant at, @Nullable String error) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures, lastPublishError, at, error,
                error == null ? at : lastContact,
                error == null ? (publishFailures > 0 ? failingSince : null) : (failingSince == null ? at : failingSince),
                topicReady, refused);
    }

    PublishStatus topicReady(boolean ready) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures, lastPublishError, lastProbeAt,
                lastProbeError, lastContact, failingSince, ready, refused);
    }

    /** No payload is served under the log's identity any more, for {@code reason}, until a restart. */
    PublishStatus refusing(String reason) {
        return new PublishStatus(lastPublishedAt, lastOffset, publishFailures, lastPublishError, lastProbeAt,
                lastProbeError, lastContact, failingSince, topicReady, reason);
    }

    /** Nothing tried yet. */
    boolean unknown() {
        return lastPublishedAt == null && publishFailures == 0 && lastProbeAt == null;
    }

    /** The last publish failed, or the last probe did. */
    boolean down() {
        return publishFailures > 0 || lastProbeError != null;
    }

    /** The last publish's failure, else the last probe's, else {@code null}. */
    @Nullable String lastError() {
        return lastPublishError != null ? lastPublishError : lastProbeError;
    }
}
