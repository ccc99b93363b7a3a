package io.fabrictelemetry.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.util.LinkedMultiValueMap;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The stream's per-client contract in virtual time, over a connection whose writability the test sets. */
class SnapshotStreamTests {

    static final ListMetricsFilter UNFILTERED = ListMetricsFilter.parse(new LinkedMultiValueMap<>());

    final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final SnapshotStream stream = new SnapshotStream(store,
            new StreamProperties(Duration.ofSeconds(15), 2, Duration.ofSeconds(30)), registry, time, Schedulers::immediate);
    final FakeOutbound outbound = new FakeOutbound();

    static final class FakeOutbound implements StreamOutbound {
        volatile boolean writable = true;
        volatile boolean closed;

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @BeforeEach
    void start() {
        stream.start();
    }

    @AfterEach
    void stop() {
        stream.stop();
        time.dispose();
    }

    Snapshot publish(long errors) {
        return store.publish(Table.of(List.of("packet_errors", "latency_us"), List.of("sw-1", "sw-2"),
                new long[] {errors, Double.doubleToRawLongBits(1.5), errors * 2, 0},
                new byte[] {CellKind.INTEGER, CellKind.DECIMAL, CellKind.INTEGER, CellKind.NONE}, 0, 0),
                Instant.parse("2026-11-29T10:00:00Z").plusSeconds(errors), Instant.parse("2026-11-29T10:00:00Z"), null);
    }

    /** The client's events as text, one string per event. */
    Flux<String> events(ListMetricsFilter filter) {
        assertThat(stream.hasRoom()).isTrue();
        return stream.events(filter, outbound)
                .concatMap(event -> DataBufferUtils.join(event).map(buffer -> buffer.toString(StandardCharsets.UTF_8)));
    }

    static String event(Snapshot snapshot) {
        return "event: snapshot\nid: " + snapshot.sequence() + "\ndata: "
                + new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8) + "\n\n";
    }

    double dropped() {
        return registry.get("fabric.stream.events.dropped").counter().count();
    }

    @Test
    void firstEventIsTheCurrentSnapshotThenOnePerPublishedSnapshot() {
        Snapshot first = publish(1);
        StepVerifier.withVirtualTime(() -> events(UNFILTERED), () -> time, Long.MAX_VALUE)
                .expectNext(event(first))
                .then(() -> publish(2))
                .assertNext(text -> assertThat(text).startsWith("event: snapshot\nid: 2\ndata: {\"sequence\":2,"))
                .then(() -> publish(3))
                .assertNext(text -> assertThat(text).contains("id: 3\n").endsWith("}\n\n"))
                .thenCancel()
                .verify();
        assertThat(dropped()).isZero();
    }

    @Test
    void withoutASnapshotYetTheStreamStartsWithACommentAndTheFirstEventIsTheFirstOnePublished() {
        StepVerifier.withVirtualTime(() -> events(UNFILTERED), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNext(": waiting for the first snapshot\n\n")
                .expectNoEvent(Duration.ofSeconds(1))
                .then(() -> publish(1))
                .assertNext(text -> assertThat(text).contains("id: 1\n"))
                .thenCancel()
                .verify();
    }

    @Test
    void aClientThatDoesNotTakeEventsKeepsOnlyTheLatestAndTheSkippedAreCounted() {
        publish(1);
        StepVerifier.withVirtualTime(() -> events(UNFILTERED), () -> time, Long.MAX_VALUE)
                .assertNext(text -> assertThat(text).contains("id: 1\n"))
                .then(() -> {
                    outbound.writable = false;
                    publish(2);
                    publish(3);
                    publish(4);
                })
                .expectNoEvent(Duration.ofSeconds(5))
                .then(() -> outbound.writable = true)
                .thenAwait(SnapshotStream.TICK)
                .assertNext(text -> assertThat(text).contains("id: 4\n"))
                .expectNoEvent(Duration.ofSeconds(5))
                .thenCancel()
                .verify();
        assertThat(dropped()).isEqualTo(2);
    }

    @Test
    void aClientWithoutDemandIsNotSentAnythingAndGetsTheLatestWhenItAsks() {
        publish(1);
        StepVerifier.withVirtualTime(() -> stream.events(UNFILTERED, outbound), () -> time, 0)
                .then(() -> publish(2))
                .expectNoEvent(Duration.ofSeconds(1))
                .thenRequest(1)
                .assertNext(event -> assertThat(DataBufferUtils.join(event).block().toString(StandardCharsets.UTF_8))
                        .contains("id: 2\n"))
                .thenCancel()
                .verify();
        assertThat(dropped()).isEqualTo(1);
    }

    @Test
    void anIdleStreamGetsAKeepaliveCommentEveryKeepalivePeriod() {
        publish(1);
        StepVerifier.withVirtualTime(() -> events(UNFILTERED), () -> time, Long.MAX_VALUE)
                .assertNext(text -> assertThat(text).contains("id: 1\n"))
                .expectNoEvent(Duration.ofSeconds(14))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(": keepalive\n\n")
                .thenAwait(Duration.ofSeconds(15))
                .expectNext(": keepalive\n\n")
                .thenCancel()
                .verify();
    }

    @Test
    void aClientThatTakesNothingForTheWriteTimeoutIsDisconnected() {
        publish(1);
        StepVerifier.withVirtualTime(() -> events(UNFILTERED), () -> time, Long.MAX_VALUE)
                .assertNext(text -> assertThat(text).contains("id: 1\n"))
                .then(() -> outbound.writable = false)
                .thenAwait(Duration.ofSeconds(29))
                .then(() -> assertThat(outbound.closed).isFalse())
                .thenAwait(Duration.ofSeconds(2))
                .expectComplete()
                .verify();
        assertThat(outbound.closed).isTrue();
        assertThat(stream.clients()).isZero();
    }

    @Test
    void filteredEventsHoldOnlyTheNamedSwitchesAndMetrics() {
        LinkedMultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("switch", "sw-2");
        query.add("metric", "packet_errors");
        publish(7);
        StepVerifier.withVirtualTime(() -> events(ListMetricsFilter.parse(query)), () -> time, Long.MAX_VALUE)
                .assertNext(text -> assertThat(text).contains("\"metrics\":[\"packet_errors\"]",
                        "\"switches\":{\"sw-2\":{\"packet_errors\":14}}").doesNotContain("sw-1"))
                .thenCancel()
                .verify();
    }

    @Test
    void stoppingEndsEveryStream() {
        publish(1);
        StepVerifier.withVirtualTime(() -> events(UNFILTERED), () -> time, Long.MAX_VALUE)
                .assertNext(text -> assertThat(text).contains("id: 1\n"))
                .then(stream::stop)
                .expectComplete()
                .verify();
        assertThat(stream.clients()).isZero();
        assertThat(stream.hasRoom()).isFalse();
    }

    @Test
    void noMoreThanMaxClientsAreAdmittedAndALeavingClientFreesItsPlace() {
        var first = stream.events(UNFILTERED, outbound).subscribe();
        assertThat(stream.hasRoom()).isTrue();
        var second = stream.events(UNFILTERED, outbound).subscribe();
        assertThat(stream.hasRoom()).isFalse();
        assertThat(registry.get("fabric.stream.clients").gauge().value()).isEqualTo(2);
        second.dispose();
        assertThat(stream.hasRoom()).isTrue();
        assertThat(stream.clients()).isEqualTo(1);
        first.dispose();
        assertThat(stream.clients()).isZero();
    }

    @Test
    void newSnapshotReachesAFilteredClientOffThePublishingThread() {
        SnapshotStream threaded = new SnapshotStream(store, new StreamProperties(Duration.ofSeconds(15), 2,
                Duration.ofSeconds(30)), new SimpleMeterRegistry(), time, () -> Schedulers.newSingle("fanout-under-test"));
        threaded.start();
        try {
            LinkedMultiValueMap<String, String> query = new LinkedMultiValueMap<>();
            query.add("metric", "packet_errors");
            publish(1);
            String publisher = Thread.currentThread().getName();
            StepVerifier.create(threaded.events(ListMetricsFilter.parse(query), outbound)
                            .map(event -> Thread.currentThread().getName()))
                    .expectNextCount(1)
                    .then(() -> publish(2))
                    .assertNext(thread -> assertThat(thread).startsWith("fanout-under-test").isNotEqualTo(publisher))
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
        } finally {
            threaded.stop();
        }
    }
}
