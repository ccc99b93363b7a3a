package io.fabrictelemetry.metrics.ingest;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Component;

/** The latest {@link IngestionStatus}: one writer (the poll loop), any number of readers. */
@Component
public class IngestionTracker {

    private final AtomicReference<IngestionStatus> status = new AtomicReference<>(IngestionStatus.INITIAL);

    public IngestionStatus status() {
        return status.get();
    }

    IngestionStatus update(UnaryOperator<IngestionStatus> change) {
        return status.updateAndGet(change);
    }
}
