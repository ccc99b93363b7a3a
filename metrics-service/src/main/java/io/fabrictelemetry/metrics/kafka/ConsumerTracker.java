package io.fabrictelemetry.metrics.kafka;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Component;

/** The latest {@link ConsumerStatus}: one writer (the consumer thread), any number of readers. */
@Component
@ConditionalOnIngestMode(IngestMode.CONSUME)
public class ConsumerTracker {

    private final AtomicReference<ConsumerStatus> status = new AtomicReference<>(ConsumerStatus.INITIAL);

    public ConsumerStatus status() {
        return status.get();
    }

    ConsumerStatus update(UnaryOperator<ConsumerStatus> change) {
        return status.updateAndGet(change);
    }
}
