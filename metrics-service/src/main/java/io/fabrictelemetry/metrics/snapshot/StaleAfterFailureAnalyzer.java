package io.fabrictelemetry.metrics.snapshot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says, in Boot's "APPLICATION FAILED TO START" report, which two settings disagree and how to fix them. */
class StaleAfterFailureAnalyzer extends AbstractFailureAnalyzer<StaleAfterTooShortException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StaleAfterTooShortException cause) {
        String staleAfter = Durations.text(cause.staleAfter());
        String interval = Durations.text(cause.interval());
        return new FailureAnalysis(
                "stale.after (STALE_AFTER) is " + staleAfter + ", which is not above poll.interval (POLL_INTERVAL) "
                        + interval + ": data would count as stale between two successful polls, and the ingestion"
                        + " health would flap between UP and DOWN.",
                "Set STALE_AFTER above POLL_INTERVAL, to several intervals (the defaults are STALE_AFTER=30s with"
                        + " POLL_INTERVAL=2s), or poll more often.",
                cause);
    }
}
