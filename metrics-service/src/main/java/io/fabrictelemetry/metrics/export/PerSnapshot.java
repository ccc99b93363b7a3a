package io.fabrictelemetry.metrics.export;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Something derived from a snapshot that is too costly for the ingestion path and too costly to
 * repeat per request (the Prometheus export): computed lazily, on the first request
 * after a snapshot is published, off the event loop, once, and shared by concurrent requests. Only
 * the latest snapshot's value is kept.
 */
final class PerSnapshot<T> {

    private final Function<Snapshot, T> compute;
    private final AtomicReference<@Nullable Entry<T>> last = new AtomicReference<>();

    private record Entry<T>(Snapshot snapshot, Mono<T> value) {
    }

    PerSnapshot(Function<Snapshot, T> compute) {
        this.compute = compute;
    }

    Mono<T> get(Snapshot snapshot) {
        // Creating the Mono is lazy and cheap; the computation runs once, when the first caller subscribes.
        return last.updateAndGet(entry -> entry != null && entry.snapshot() == snapshot
                ? entry
                : new Entry<>(snapshot, Mono.fromCallable(() -> compute.apply(snapshot))
                        .subscribeOn(Schedulers.boundedElastic())
                        .cache())).value();
    }
}
