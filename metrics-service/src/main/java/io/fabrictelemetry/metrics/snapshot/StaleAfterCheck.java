package io.fabrictelemetry.metrics.snapshot;

import org.springframework.stereotype.Component;

import io.fabrictelemetry.metrics.ingest.PollProperties;

/**
 * Refuses, at startup, a staleness limit that is not above the poll interval: data would count as
 * stale between two successful polls, and the ingestion health would flap between UP and DOWN.
 * Each setting is valid alone, so the check is here, where both are known.
 */
@Component
class StaleAfterCheck {

    StaleAfterCheck(StaleProperties stale, PollProperties poll) {
        if (stale.after().compareTo(poll.interval()) <= 0) {
            throw new StaleAfterTooShortException(stale.after(), poll.interval());
        }
    }
}
