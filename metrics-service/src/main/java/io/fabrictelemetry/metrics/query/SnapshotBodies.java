package io.fabrictelemetry.metrics.query;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Mono;

/**
 * Answer bodies derived from one snapshot and asked for again and again while it is current (a
 * one-switch ListMetrics, a TopPorts list): encoded when the first request subscribes to it (on
 * that request's thread or the worker its encoding names), shared by the concurrent ones (they wait
 * for that one encoding, without blocking), then served to every later request for that snapshot
 * as they are ({@link Body#ready()}), off the heap and without a copy.
 *
 * <p>Keyed to the snapshot: only the newest snapshot's bodies are kept, and a key is looked up in
 * that snapshot's bodies alone, so a newer snapshot never answers with a body of an older one; a
 * request still holding an older snapshot (it read the store just before a swap) gets no cached
 * body and leaves the newer ones alone. Bounded: at most {@link #maxBytes} bytes of bodies (by the
 * caller's estimate when admitted, corrected to the real size once encoded) and {@link #maxEntries}
 * bodies per snapshot; beyond them a body is not kept and its caller encodes it per request, as it
 * would without this cache. A failed encoding is never kept: the next request tries again.
 */
final class SnapshotBodies<K> {

    /** Reactor's "never expires" for {@link Mono#cache(Function, Function, Supplier)}. */
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private final long maxBytes;
    private final int maxEntries;
    private final AtomicReference<@Nullable Generation<K>> latest = new AtomicReference<>();

    /** One snapshot's bodies. */
    private record Generation<K>(Snapshot snapshot, ConcurrentHashMap<K, Body> bodies, AtomicLong bytes) {
    }

    /** A body being encoded (its {@link #mono} shared) or encoded ({@link #ready}, read without subscribing). */
    static final class Body {

        private final Mono<ByteBuffer> mono;
        private volatile @Nullable ByteBuffer ready;

        /** {@code encoding} runs on the first subscription (a request's), {@code failed} if it fails. */
        private Body(Mono<ByteBuffer> encoding, Runnable failed) {
            this.mono = encoding.map(SnapshotBodies::direct).doOnNext(body -> ready = body).doOnError(error -> failed.run())
                    .cache(body -> FOREVER, error -> Duration.ZERO, () -> Duration.ZERO);
        }

        /** The encoded body, a read-only view of its own; {@code null} while it is not encoded yet. */
        @Nullable ByteBuffer ready() {
            ByteBuffer body = ready;
            return body == null ? null : body.duplicate();
        }

        /** The body, encoded once: the first subscriber starts the encoding, the others share it. */
        Mono<ByteBuffer> body() {
            return mono.map(ByteBuffer::duplicate);
        }
    }

    SnapshotBodies(long maxBytes, int maxEntries) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    /**
     * The kept body of {@code key} in {@code snapshot}, or a new one to be encoded once by
     * {@code encoding} when it fits in the bounds ({@code estimatedBytes} is asked only then);
     * {@code null} when it is not kept (no room, or an older snapshot than the newest seen): the
     * caller encodes it itself.
     */
    @Nullable Body get(Snapshot snapshot, K key, Supplier<Long> estimatedBytes, Supplier<Mono<ByteBuffer>> encoding) {
        Generation<K> generation = generation(snapshot);
        if (generation == null) {
            return null;
        }
        Body body = generation.bodies().get(key);
        if (body != null) {
            return body;
        }
        long estimate = Math.max(1, estimatedBytes.get());
        AtomicLong bytes = generation.bytes();
        if (estimate > maxBytes || generation.bodies().size() >= maxEntries) {
            return null;
        }
        if (bytes.addAndGet(estimate) > maxBytes) {
            bytes.addAndGet(-estimate); // the reservation that did not fit
            return null;
        }
        Body[] created = new Body[1];
        // a failure is not kept: the entry goes, with its reservation, and the next request tries again
        Body fresh = new Body(encoding.get().doOnNext(encoded -> bytes.addAndGet(encoded.remaining() - estimate)), () -> {
            if (generation.bodies().remove(key, created[0])) {
                bytes.addAndGet(-estimate);
            }
        });
        created[0] = fresh;
        Body raced = generation.bodies().putIfAbsent(key, fresh);
        if (raced != null) {
            bytes.addAndGet(-estimate); // another request kept this body first
            return raced;
        }
        return fresh;
    }

    /** How many bytes of bodies the newest snapshot keeps (estimates until encoded); for tests. */
    long keptBytes() {
        Generation<K> generation = latest.get();
        return generation == null ? 0 : generation.bytes().get();
    }

    /** How many bodies the newest snapshot keeps; for tests. */
    int keptBodies() {
        Generation<K> generation = latest.get();
        return generation == null ? 0 : generation.bodies().size();
    }

    /** The newest snapshot's bodies (a new, empty set for a newer snapshot); {@code null} for an older snapshot. */
    private @Nullable Generation<K> generation(Snapshot snapshot) {
        Generation<K> current = latest.get();
        while (current == null || current.snapshot() != snapshot) {
            if (current != null && current.snapshot().sequence() > snapshot.sequence()) {
                return null; // an older snapshot: nothing kept for it
            }
            Generation<K> fresh = new Generation<>(snapshot, new ConcurrentHashMap<>(), new AtomicLong());
            if (latest.compareAndSet(current, fresh)) {
                return fresh;
            }
            current = latest.get();
        }
        return current;
    }

    /** The body in a read-only direct buffer of its own: Netty writes it to the socket without a copy. */
    private static ByteBuffer direct(ByteBuffer body) {
        if (body.isDirect() && body.isReadOnly()) {
            return body;
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(body.remaining());
        direct.put(body.duplicate()).flip();
        return direct.asReadOnlyBuffer();
    }
}
