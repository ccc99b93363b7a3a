package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.query.ListMetricsFilter;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
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
            new StreamProperties(Duration.ofSeconds(15), 2, Duration.ofSeconds(30), DataSize.ofMegabytes(64)), registry, time,
            Schedulers::immediate,
            EventEncoder.LIST_METRICS);
    final FakeOutbound outbound = new FakeOutbound();

    static final class FakeOutbound implements StreamOutbound {
        volatile boolean writable = true;
        volatile boolean closed;
        volatile boolean failOnClose;
        volatile Runnable onClose = () -> { };

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void close() {
            closed = true;
            onClose.run();
            if (failOnClose) {
                failOnClose = false;
                throw new IllegalStateException("closing a connection failed, under test");
            }
        }
    }

    @BeforeEach
    void start() {
        stream.start();
    }

    final List<SnapshotStream> started = new ArrayList<>();

    @AfterEach
    void stop() {
        stream.stop();
        started.forEach(SnapshotStream::stop);
        time.dispose();
    }

    final SimpleMeterRegistry ownRegistry = new SimpleMeterRegistry();

    /** A started stream of its own (its meters in {@link #ownRegistry}): room for ten clients, events made by {@code encoder}. */
    SnapshotStream streamWith(EventEncoder encoder) {
        return streamWith(encoder, DataSize.ofMegabytes(64));
    }

    SnapshotStream streamWith(EventEncoder encoder, DataSize maxPendingBytes) {
        SnapshotStream own = new SnapshotStream(store, new StreamProperties(Duration.ofSeconds(15), 10,
                Duration.ofSeconds(30), maxPendingBytes), ownRegistry, time, Schedulers::immediate, encoder);
        own.start();
        started.add(own);
        return own;
    }

    static ListMetricsFilter metric(String name) {
        LinkedMultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        query.add("metric", name);
        return ListMetricsFilter.parse(query);
    }

    /**
     * A client that takes every event at once (unbounded demand), over a connection of its own; its
     * events' buffers are released once read, as the server's connection does once it wrote them,
     * unless it is told to hold them (a connection that has not written them yet) until {@link #take()}.
     */
    static final class Client {
        final FakeOutbound outbound = new FakeOutbound();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<DataBuffer> held = new CopyOnWriteArrayList<>();
        volatile boolean ended;

        Client(SnapshotStream stream, ListMetricsFilter filter) {
            this(stream, filter, false);
        }

        Client(SnapshotStream stream, ListMetricsFilter filter, boolean hold) {
            stream.events(filter, outbound)
                    .concatMap(event -> DataBufferUtils.join(event).map(buffer -> {
                        String text = buffer.toString(StandardCharsets.UTF_8);
                        if (hold) {
                            held.add(buffer);
                        } else {
                            DataBufferUtils.release(buffer);
                        }
                        return text;
                    }))
                    .subscribe(events::add, error -> ended = true, () -> ended = true);
        }

        /** The connection wrote what it held: its buffers are released. */
        void take() {
            held.forEach(DataBufferUtils::release);
            held.clear();
        }

        List<Long> ids() {
            return events.stream().filter(event -> event.startsWith("event: snapshot\nid: "))
                    .map(event -> Long.parseLong(event.substring(20, event.indexOf('\n', 20)))).toList();
        }
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
                Duration.ofSeconds(30), DataSize.ofMegabytes(64)), new SimpleMeterRegistry(), time, () -> Schedulers.newSingle("fanout-under-test"),
                EventEncoder.LIST_METRICS);
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

    /**
     * Issue 21 §4: work proportional to a body never runs on an event loop. The client subscribes
     * and asks for more from a thread standing for the server's event loop; every encoding (its
     * first event, and one made when its demand drains a pending snapshot) is on the fan-out's thread.
     */
    /** An event's text, read where it arrives (its buffers are there already: nothing waits). */
    static String text(org.reactivestreams.Publisher<DataBuffer> event) {
        DataBuffer joined = DataBufferUtils.join(event).toFuture().getNow(null);
        String text = joined.toString(StandardCharsets.UTF_8);
        DataBufferUtils.release(joined);
        return text;
    }

    @Test
    void eventsAreEncodedOnTheFanOutThreadNeverOnTheThreadThatSubscribesOrAsksForMore() {
        List<String> encodedOn = new CopyOnWriteArrayList<>();
        Scheduler fanout = Schedulers.newSingle("fanout-under-test");
        SnapshotStream threaded = new SnapshotStream(store, new StreamProperties(Duration.ofSeconds(15), 2,
                Duration.ofSeconds(30), DataSize.ofMegabytes(64)), new SimpleMeterRegistry(), time,
                () -> fanout, (snapshot, filter) -> {
                    encodedOn.add(Thread.currentThread().getName());
                    return EventEncoder.LIST_METRICS.encode(snapshot, filter);
                });
        Scheduler eventLoop = Schedulers.newSingle("reactor-http-nio-under-test");
        threaded.start();
        try {
            publish(1);
            StepVerifier.create(threaded.events(metric("packet_errors"), outbound).subscribeOn(eventLoop), 1)
                    .assertNext(event -> assertThat(text(event)).contains("id: 1\n"))
                    .then(() -> {
                        publish(2);
                        // the fan-out has handed snapshot 2 out (to a client without demand) before it asks
                        Mono.fromRunnable(() -> { }).subscribeOn(fanout).block(Duration.ofSeconds(30));
                    })
                    .thenRequest(1)
                    .assertNext(event -> assertThat(text(event)).contains("id: 2\n"))
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            assertThat(encodedOn).as("threads that encoded the client's events").isNotEmpty()
                    .allSatisfy(thread -> assertThat(thread).startsWith("fanout-under-test"));
        } finally {
            threaded.stop();
            eventLoop.dispose();
        }
    }

    @Test
    void anExceptionWhileMakingOneClientsEventEndsThatClientOnlyAndTheOthersKeepReceivingSnapshots() {
        ListMetricsFilter broken = metric("latency_us");
        SnapshotStream own = streamWith((snapshot, filter) -> {
            if (filter.equals(broken) && snapshot.sequence() > 1) {
                throw new IllegalStateException("encoder fault under test");
            }
            return EventEncoder.LIST_METRICS.encode(snapshot, filter);
        });
        publish(1);
        Client failing = new Client(own, broken);
        Client whole = new Client(own, UNFILTERED);
        Client filtered = new Client(own, metric("packet_errors"));
        assertThat(failing.ids()).containsExactly(1L);

        publish(2);
        publish(3);
        publish(4);

        assertThat(whole.ids()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(filtered.ids()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(whole.ended).isFalse();
        assertThat(failing.ended).as("the failing client's stream ended").isTrue();
        assertThat(failing.ids()).containsExactly(1L);
        assertThat(own.clients()).isEqualTo(2);
        assertThat(cuts("error")).isEqualTo(1);
    }

    /** Issue 21 §6: stream fan-out isolation. */
    @Test
    void aSlowClientAndAFailingClientNeitherStopNorHoldBackTheOthers() {
        ListMetricsFilter broken = metric("latency_us");
        SnapshotStream own = streamWith((snapshot, filter) -> {
            if (filter.equals(broken) && snapshot.sequence() > 2) {
                throw new IllegalStateException("encoder fault under test");
            }
            return EventEncoder.LIST_METRICS.encode(snapshot, filter);
        });
        publish(1);
        Client slow = new Client(own, UNFILTERED);
        Client failing = new Client(own, broken);
        List<Client> others = List.of(new Client(own, UNFILTERED), new Client(own, UNFILTERED),
                new Client(own, metric("packet_errors")));
        slow.outbound.writable = false;

        for (long sequence = 2; sequence <= 6; sequence++) {
            publish(sequence);
            // each snapshot reaches every other client while the fan-out hands it out, not later
            for (Client other : others) {
                assertThat(other.ids()).as("events of a client beside a slow and a failing one")
                        .endsWith(sequence);
            }
        }
        for (Client other : others) {
            assertThat(other.ids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(other.ended).isFalse();
        }
        assertThat(failing.ended).isTrue();
        assertThat(failing.ids()).containsExactly(1L, 2L);
        // the slow client holds only the latest, and gets it once its connection takes more
        assertThat(slow.ids()).containsExactly(1L);
        slow.outbound.writable = true;
        time.advanceTimeBy(SnapshotStream.TICK);
        assertThat(slow.ids()).containsExactly(1L, 6L);
        assertThat(own.clients()).isEqualTo(4);
    }

    @Test
    void clientsWithTheSameFilterShareOneEncodingPerSnapshot() {
        Map<ListMetricsFilter, AtomicInteger> encodings = new ConcurrentHashMap<>();
        SnapshotStream own = streamWith((snapshot, filter) -> {
            encodings.computeIfAbsent(filter, key -> new AtomicInteger()).incrementAndGet();
            return EventEncoder.LIST_METRICS.encode(snapshot, filter);
        });
        ListMetricsFilter dashboard = metric("packet_errors");
        publish(1);
        List<Client> tabs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tabs.add(new Client(own, dashboard));
        }
        Client other = new Client(own, metric("latency_us"));
        Snapshot second = publish(2);
        publish(3);

        for (Client tab : tabs) {
            assertThat(tab.ids()).containsExactly(1L, 2L, 3L);
            assertThat(tab.events.get(1)).isEqualTo("event: snapshot\nid: 2\ndata: "
                    + StandardCharsets.UTF_8.decode(dashboard.select(second).body()) + "\n\n");
        }
        assertThat(other.ids()).containsExactly(1L, 2L, 3L);
        assertThat(encodings.get(dashboard)).as("encodings of the six tabs' filter, three snapshots").hasValue(3);
        assertThat(encodings.get(metric("latency_us"))).as("another filter is encoded on its own").hasValue(3);
    }

    double cuts(String reason) {
        return ownRegistry.get("fabric.stream.clients.cut").tag("reason", reason).counter().count();
    }

    double pendingBytes() {
        return ownRegistry.get("fabric.stream.pending.bytes").gauge().value();
    }

    @Test
    void clientsHoldingOlderSnapshotsPastTheBudgetAreCutOldestFirstAndASharedBodyCountsOnce() {
        long body = publish(1).listMetricsBody().remaining();
        // room for one older body, not two
        SnapshotStream own = streamWith(EventEncoder.LIST_METRICS, DataSize.ofBytes(body + body / 2));
        Client parkedOnFirst = new Client(own, UNFILTERED, true);
        Client alsoParkedOnFirst = new Client(own, UNFILTERED, true);
        Client fast = new Client(own, UNFILTERED);
        parkedOnFirst.outbound.writable = false;
        alsoParkedOnFirst.outbound.writable = false;

        long second = publish(2).listMetricsBody().remaining();
        Client parkedOnSecond = new Client(own, UNFILTERED, true);
        parkedOnSecond.outbound.writable = false;
        assertThat(pendingBytes()).as("snapshot 1's body, held by two clients, counted once").isEqualTo(body);
        assertThat(parkedOnFirst.ended).isFalse();

        publish(3);
        // snapshots 1 and 2 held: over the budget; both holders of the oldest go, so its memory can
        assertThat(parkedOnFirst.ended).isTrue();
        assertThat(parkedOnFirst.outbound.closed).as("connection closed: what it queued is dropped").isTrue();
        assertThat(alsoParkedOnFirst.ended).isTrue();
        assertThat(parkedOnSecond.ended).isFalse();
        assertThat(cuts("max_pending_bytes")).isEqualTo(2);
        assertThat(pendingBytes()).as("snapshot 2's body").isEqualTo(second);
        assertThat(fast.ids()).containsExactly(1L, 2L, 3L);

        parkedOnSecond.take();
        assertThat(pendingBytes()).as("nothing held once the connection wrote it").isZero();
        parkedOnSecond.outbound.writable = true;
        time.advanceTimeBy(SnapshotStream.TICK);
        assertThat(parkedOnSecond.ids()).containsExactly(2L, 3L);
        assertThat(own.clients()).isEqualTo(2);
    }

    /**
     * The budget check throws (here: closing a cut client's connection fails): it is counted, and
     * the next snapshots still reach every client, the fan-out's only subscription goes on.
     */
    @Test
    void aFailingPendingBytesCheckIsCountedAndTheNextSnapshotsStillReachEveryClient() {
        long body = publish(1).listMetricsBody().remaining();
        SnapshotStream own = streamWith(EventEncoder.LIST_METRICS, DataSize.ofBytes(body / 2));
        Client parked = new Client(own, UNFILTERED, true);
        parked.outbound.writable = false;
        Client fast = new Client(own, UNFILTERED);
        parked.outbound.failOnClose = true;

        publish(2);
        publish(3);
        publish(4);

        assertThat(fast.ids()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(fast.ended).isFalse();
        assertThat(ownRegistry.get("fabric.stream.budget.check.failures").counter().count())
                .as("the check threw once").isEqualTo(1);
    }

    /**
     * A client counted as holding an old body that its connection writes before the check cuts it
     * (here: the connection of the other holder, cut first, lets it go as it closes) is not cut.
     */
    @Test
    void aClientWhoseConnectionWroteItsBodyAfterTheBudgetWasCountedIsNotCut() {
        long body = publish(1).listMetricsBody().remaining();
        SnapshotStream own = streamWith(EventEncoder.LIST_METRICS, DataSize.ofBytes(body / 2));
        Client first = new Client(own, UNFILTERED, true);
        Client second = new Client(own, UNFILTERED, true);
        first.outbound.writable = false;
        second.outbound.writable = false;
        // whichever is cut first, the other's connection has written snapshot 1 by the time it is checked
        first.outbound.onClose = second::take;
        second.outbound.onClose = first::take;

        publish(2);

        assertThat(cuts("max_pending_bytes")).as("only the holder still holding it is cut").isEqualTo(1);
        assertThat(List.of(first.ended, second.ended)).containsExactlyInAnyOrder(true, false);
        assertThat(pendingBytes()).isZero();
    }
}
