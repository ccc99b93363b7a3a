package io.fabrictelemetry.metrics.export;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Something derived from a snapshot that is too costly for the ingestion path and too costly to
 * repeat per request (the Prometheus export): computed lazily, on the first request after a
 * snapshot is published, off the event loop, once, and shared by concurrent requests. Only the
 * newest snapshot's value is kept: a request still holding an older snapshot (it read the store
 * just before a swap) gets a computation of its own and leaves the memo alone. A failure is never
 * kept: the next request tries again.
 */
final class PerSnapshot<T> {

    /** Reactor's "never expires" for {@link Mono#cache(Function, Function, java.util.function.Supplier)}. */
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private final Function<Snapshot, T> compute;
    private final AtomicReference<@Nullable Entry<T>> last = new AtomicReference<>();

    private record Entry<T>(Snapshot snapshot, Mono<T> value) {
    }

    PerSnapshot(Function<Snapshot, T> compute) {
        this.compute = compute;
    }

    Mono<T> get(Snapshot snapshot) {
        // Creating the Mono is lazy and cheap; the computation runs once, when the first caller subscribes.
        Entry<T> entry = last.updateAndGet(current -> current == null
                || (current.snapshot() != snapshot && current.snapshot().sequence() <= snapshot.sequence())
                ? new Entry<>(snapshot, memo(snapshot))
                : current);
        return entry.snapshot() == snapshot ? entry.value() : memo(snapshot);
    }

    private Mono<T> memo(Snapshot snapshot) {
        return Mono.fromCallable(() -> compute.apply(snapshot))
                .subscribeOn(Schedulers.boundedElastic())
                .cache(value -> FOREVER, error -> Duration.ZERO, () -> Duration.ZERO);
    }
}
