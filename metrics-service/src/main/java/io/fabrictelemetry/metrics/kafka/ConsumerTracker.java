package io.fabrictelemetry.metrics.kafka;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * The latest {@link ConsumerStatus}: one writer (the consumer thread), any number of readers; and
 * when the consumer thread last showed it is alive ({@link #lastProgress()}), for
 * {@code ConsumerLivenessHealthIndicator}.
 */
@Component
@ConditionalOnIngestMode(IngestMode.CONSUME)
public class ConsumerTracker {

    private final AtomicReference<ConsumerStatus> status = new AtomicReference<>(ConsumerStatus.INITIAL);
    private volatile @Nullable Instant progress;

    public ConsumerStatus status() {
        return status.get();
    }

    ConsumerStatus update(UnaryOperator<ConsumerStatus> change) {
        return status.updateAndGet(change);
    }

    /**
     * The consumer thread came round its loop: a poll for records returned, a record was handled, or
     * a failure was dealt with.
     */
    void progressed(Instant at) {
        progress = at;
    }

    /** When the consumer thread last came round its loop; null before it first did. */
    public @Nullable Instant lastProgress() {
        return progress;
    }
}
