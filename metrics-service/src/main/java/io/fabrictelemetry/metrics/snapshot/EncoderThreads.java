package io.fabrictelemetry.metrics.snapshot;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that build a large snapshot beside the ingest thread (parse half of a payload, write
 * half of a body, allocate the next body): two, daemons, named, their
 * own, so that the work of the ingestion critical path never queues behind unrelated tasks of the
 * common pool (and never occupies it). Idle between polls.
 */
public final class EncoderThreads {

    private static final AtomicInteger NUMBER = new AtomicInteger();

    public static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "snapshot-builder-" + NUMBER.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private EncoderThreads() {
    }
}
