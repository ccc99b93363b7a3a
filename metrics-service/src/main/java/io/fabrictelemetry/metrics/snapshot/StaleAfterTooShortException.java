package io.fabrictelemetry.metrics.snapshot;

import java.time.Duration;

/** {@code stale.after} is not above {@code poll.interval}; explained by {@link StaleAfterFailureAnalyzer}. */
class StaleAfterTooShortException extends IllegalStateException {

    private final Duration staleAfter;
    private final Duration interval;

    StaleAfterTooShortException(Duration staleAfter, Duration interval) {
        super("stale.after (STALE_AFTER) " + Durations.text(staleAfter) + " must be above poll.interval (POLL_INTERVAL) "
                + Durations.text(interval));
        this.staleAfter = staleAfter;
        this.interval = interval;
    }

    Duration staleAfter() {
        return staleAfter;
    }

    Duration interval() {
        return interval;
    }
}
