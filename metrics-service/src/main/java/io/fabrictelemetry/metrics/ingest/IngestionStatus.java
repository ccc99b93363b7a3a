package io.fabrictelemetry.metrics.ingest;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the poll loop knows about itself, replaced whole after every poll.
 *
 * @param lastPollAt          when the last completed poll ended; null before the first
 * @param lastOutcome         how it ended
 * @param lastPollDuration    how long it took
 * @param lastSuccessAt       when a poll last succeeded (200 or 304); null if none has
 * @param consecutiveFailures failed polls since the last success
 * @param lastError           the last failure's description; kept after recovery for context
 * @param failingSince        start of the current run of failures; null while polls succeed
 */
public record IngestionStatus(
        @Nullable Instant lastPollAt,
        @Nullable PollOutcome lastOutcome,
        @Nullable Duration lastPollDuration,
        @Nullable Instant lastSuccessAt,
        long consecutiveFailures,
        @Nullable String lastError,
        @Nullable Instant failingSince) {

    static final IngestionStatus INITIAL = new IngestionStatus(null, null, null, null, 0, null, null);

    IngestionStatus succeeded(PollOutcome outcome, Instant at, Duration took) {
        return new IngestionStatus(at, outcome, took, at, 0, lastError, null);
    }

    IngestionStatus failed(PollOutcome outcome, String error, Instant at, Duration took) {
        return new IngestionStatus(at, outcome, took, lastSuccessAt, consecutiveFailures + 1, error,
                failingSince == null ? at : failingSince);
    }
}
