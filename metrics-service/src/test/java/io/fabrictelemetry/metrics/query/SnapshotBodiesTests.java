package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The bodies kept per snapshot: a key is one body within its snapshot only (the same key in a newer
 * snapshot is another body), an older snapshot keeps nothing, concurrent requests share one
 * encoding, a failure is not kept, and bytes and entries stay within their bounds.
 */
class SnapshotBodiesTests {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)));
    private final AtomicInteger encodings = new AtomicInteger();

    private Snapshot publish() {
        return store.publish(Table.of(List.of("a"), List.of("s1"), new long[] {1}, new byte[] {CellKind.INTEGER}, 0, 0),
                T0, T0, null);
    }

    /** An encoding that counts and answers {@code text}. */
    private Mono<ByteBuffer> encoding(String text) {
        return Mono.fromSupplier(() -> {
            encodings.incrementAndGet();
            return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        });
    }

    private static String text(SnapshotBodies.Body body) {
        return new String(Bodies.toArray(body.body().block(Duration.ofSeconds(10))), StandardCharsets.UTF_8);
    }

    @Test
    void theSameKeyInANewerSnapshotIsAnotherBodyEncodedFromThatSnapshot() {
        SnapshotBodies<String> bodies = new SnapshotBodies<>(1 << 20, 100);
        Snapshot older = publish();
        assertThat(text(bodies.get(older, "switch=A", () -> 5L, () -> encoding("older")))).isEqualTo("older");
        Snapshot newer = publish();

        SnapshotBodies.Body body = bodies.get(newer, "switch=A", () -> 5L, () -> encoding("newer"));

        assertThat(text(body)).isEqualTo("newer");
        assertThat(body.ready()).isNotNull();
        assertThat(encodings).hasValue(2);
    }

    @Test
    void aKeptBodyIsEncodedOnceAndServedAgainReadyAsItWas() {
        SnapshotBodies<String> bodies = new SnapshotBodies<>(1 << 20, 100);
        Snapshot snapshot = publish();

        SnapshotBodies.Body first = bodies.get(snapshot, "k", () -> 5L, () -> encoding("body"));
        SnapshotBodies.Body second = bodies.get(snapshot, "k", () -> 5L, () -> encoding("other"));

        assertThat(second).isSameAs(first);
        assertThat(text(second)).isEqualTo("body");
        ByteBuffer ready = second.ready();
        assertThat(ready).isNotNull();
        assertThat(ready.isDirect()).isTrue();
        assertThat(new String(Bodies.toArray(ready), StandardCharsets.UTF_8)).isEqualTo("body");
        assertThat(encodings).hasValue(1);
    }

    @Test
    void anOlderSnapshotGetsNoKeptBodyAndLeavesTheNewerSnapshotsBodies() {
        SnapshotBodies<String> bodies = new SnapshotBodies<>(1 << 20, 100);
        Snapshot older = publish();
        Snapshot newer = publish();
        SnapshotBodies.Body kept = bodies.get(newer, "k", () -> 5L, () -> encoding("newer"));

        assertThat(bodies.get(older, "k", () -> 5L, () -> encoding("older"))).isNull();

        assertThat(bodies.get(newer, "k", () -> 5L, () -> encoding("again"))).isSameAs(kept);
        assertThat(text(kept)).isEqualTo("newer");
    }

    @Test
    void concurrentRequestsShareTheOneEncodingInFlight() {
        SnapshotBodies<String> bodies = new SnapshotBodies<>(1 << 20, 100);
        Snapshot snapshot = publish();
        Sinks.One<ByteBuffer> slow = Sinks.one();
        AtomicInteger subscriptions = new AtomicInteger();
        Mono<ByteBuffer> encoding = slow.asMono().doOnSubscribe(s -> subscriptions.incrementAndGet());

        SnapshotBodies.Body first = bodies.get(snapshot, "k", () -> 5L, () -> encoding);
        SnapshotBodies.Body second = bodies.get(snapshot, "k", () -> 5L, () -> encoding);
        assertThat(first.ready()).isNull();
        Mono<ByteBuffer> waiting = second.body();
        slow.tryEmitValue(ByteBuffer.wrap("late".getBytes(StandardCharsets.UTF_8)));

        assertThat(second).isSameAs(first);
        assertThat(new String(Bodies.toArray(waiting.block(Duration.ofSeconds(10))), StandardCharsets.UTF_8)).isEqualTo("late");
        assertThat(subscriptions).hasValue(1);
    }

    @Test
    void aFailedEncodingIsNotKeptTheNextRequestEncodesAgain() {
        SnapshotBodies<String> bodies = new SnapshotBodies<>(1 << 20, 100);
        Snapshot snapshot = publish();
        SnapshotBodies.Body failed = bodies.get(snapshot, "k", () -> 5L, () -> Mono.error(new IllegalStateException("broken")));
        assertThat(failed.body().map(body -> "encoded").onErrorResume(e -> Mono.just(e.getMessage()))
                .block(Duration.ofSeconds(10))).isEqualTo("broken");

        SnapshotBodies.Body retried = bodies.get(snapshot, "k", () -> 5L, () -> encoding("fine"));

        assertThat(retried).isNotNull();
        assertThat(text(retried)).isEqualTo("fine");
        assertThat(bodies.keptBodies()).isEqualTo(1);
        assertThat(bodies.keptBytes()).isEqualTo(4);
    }

    @Test
    void bodiesBeyondTheByteBoundAreNotKept() {
        SnapshotBodies<String> bodies = new SnapshotBodies<>(100, 100);
        Snapshot snapshot = publish();

        SnapshotBodies.Body kept = bodies.get(snapshot, "a", () -> 60L, () -> encoding("x".repeat(60)));
        SnapshotBodies.Body beyond = bodies.get(snapshot, "b", () -> 60L, () -> encoding("y".repeat(60)));
        SnapshotBodies.Body tooLarge = bodies.get(snapshot, "c", () -> 101L, () -> encoding("z".repeat(101)));

        assertThat(kept).isNotNull();
        assertThat(beyond).isNull();
        assertThat(tooLarge).isNull();
        assertThat(text(kept)).hasSize(60);
        assertThat(bodies.keptBytes()).isEqualTo(60);
        // the estimate is corrected to the real size once encoded: room for a body of the rest
        SnapshotBodies.Body rest = bodies.get(snapshot, "d", () -> 30L, () -> encoding("w".repeat(40)));
        assertThat(text(rest)).hasSize(40);
        assertThat(bodies.keptBytes()).isEqualTo(100);
    }

    @Test
    void bodiesBeyondTheEntryBoundAreNotKept() {
        SnapshotBodies<String> bodies = new SnapshotBodies<>(1 << 20, 2);
        Snapshot snapshot = publish();

        assertThat(bodies.get(snapshot, "a", () -> 5L, () -> encoding("a"))).isNotNull();
        assertThat(bodies.get(snapshot, "b", () -> 5L, () -> encoding("b"))).isNotNull();
        assertThat(bodies.get(snapshot, "c", () -> 5L, () -> encoding("c"))).isNull();
        assertThat(bodies.keptBodies()).isEqualTo(2);
    }
}
