package io.fabrictelemetry.metrics.ingest;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The latest {@link IngestionStatus}, and when the poll loop started: one writer (the poll loop),
 * any number of readers.
 */
@Component
public class IngestionTracker {

    private final AtomicReference<IngestionStatus> status = new AtomicReference<>(IngestionStatus.INITIAL);
    private final AtomicReference<@Nullable Instant> loopStartedAt = new AtomicReference<>();

    public IngestionStatus status() {
        return status.get();
    }

    /** When the running poll loop started; null while none runs (before start, after shutdown). */
    public @Nullable Instant loopStartedAt() {
        return loopStartedAt.get();
    }

    IngestionStatus update(UnaryOperator<IngestionStatus> change) {
        return status.updateAndGet(change);
    }

    void loopStarted(Instant at) {
        loopStartedAt.set(at);
    }

    void loopStopped() {
        loopStartedAt.set(null);
    }
}
