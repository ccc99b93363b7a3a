package io.fabrictelemetry.metrics.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.metrics.query.ListMetricsFilter;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The clients of {@code /telemetry/stream}: hands every published snapshot to each of them (they
 * keep at most the latest; clients with the same filter share its encoding), ticks them for
 * keepalives and write timeouts, caps their number and what they hold together of older snapshots
 * ({@code stream.max-pending-bytes}), keeps one client's failure from reaching the others, and ends
 * every stream when the application stops, before the web server's graceful shutdown, which would
 * otherwise wait for them.
 */
@Component
class SnapshotStream implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SnapshotStream.class);
    /** How often each client is checked: for a pending event its connection now takes, timeouts, keepalive. */
    static final Duration TICK = Duration.ofMillis(250);

    private final SnapshotStore store;
    private final StreamProperties properties;
    private final Scheduler timer;
    private final Supplier<Scheduler> fanoutFactory;
    private volatile @Nullable Scheduler fanout;
    private final Set<StreamClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter dropped;
    private final Counter budgetCheckFailures;
    private final Map<StreamClient.Cut, Counter> cuts = new EnumMap<>(StreamClient.Cut.class);
    private final EventEncoder encoder;
    private final AtomicReference<@Nullable StreamEdition> latest = new AtomicReference<>();
    private final long maxPendingBytes;
    // only on the fan-out thread: the budget was exceeded at the last snapshot (repeats log at DEBUG)
    private boolean overBudget;
    private @Nullable Disposable subscription;
    private volatile Phase phase = Phase.NOT_STARTED;

    /** Where the stream is in the application's life: whether a request can be one of its clients. */
    enum Phase {
        /** the application is starting (the web server may already answer): no client yet */
        NOT_STARTED,
        /** clients are taken, up to the limit */
        RUNNING,
        /** the application is stopping: streams were ended, no new client is taken */
        STOPPED
    }

    @Autowired
    SnapshotStream(SnapshotStore store, StreamProperties properties, MeterRegistry registry) {
        this(store, properties, registry, Schedulers.parallel(), () -> Schedulers.newSingle("stream-fanout", true),
                EventEncoder.LIST_METRICS);
    }

    /**
     * {@code timer} drives the clients' ticks and tells their time; {@code fanout} makes the thread on
     * which new snapshots are handed to the clients, a new client's first one too (where every event
     * is made, a filtered client's encoded), so that this work never runs on the ingestion thread
     * that published the snapshot nor on an event loop (a client subscribing or asking for more); {@code encoder}
     * makes each event's data.
     */
    SnapshotStream(SnapshotStore store, StreamProperties properties, MeterRegistry registry, Scheduler timer,
            Supplier<Scheduler> fanout, EventEncoder encoder) {
        this.store = store;
        this.encoder = encoder;
        this.maxPendingBytes = properties.maxPendingBytes().toBytes();
        this.properties = properties;
        this.timer = timer;
        this.fanoutFactory = fanout;
        Gauge.builder("fabric.stream.pending.bytes", this, SnapshotStream::pendingBytes)
                .description("Event data of older snapshots that stream connections hold and have not taken yet"
                        + " (each body once)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("fabric.stream.clients", open, AtomicInteger::get)
                .description("Open /telemetry/stream connections")
                .register(registry);
        this.dropped = Counter.builder("fabric.stream.events.dropped")
                .description("Snapshot events a stream client skipped because it had not taken the previous one yet")
                .register(registry);
        this.budgetCheckFailures = Counter.builder("fabric.stream.budget.check.failures")
                .description("Snapshots after which the stream's stream.max-pending-bytes check threw (logged;"
                        + " the stream goes on)")
                .register(registry);
        for (StreamClient.Cut reason : StreamClient.Cut.values()) {
            cuts.put(reason, Counter.builder("fabric.stream.clients.cut")
                    .description("Stream clients the service disconnected, by reason")
                    .tag("reason", reason.tag)
                    .register(registry));
        }
    }

    /**
     * Room for one more client: fewer than {@code stream.max-clients} streams are open. A client
     * counts from the moment its events are subscribed until they end, so a request that never gets
     * as far as its body holds no place; two requests racing for the last place may both get in.
     */
    boolean hasRoom() {
        return phase == Phase.RUNNING && open.get() < properties.maxClients();
    }

    Phase phase() {
        return phase;
    }

    /**
     * The events of one client: the current snapshot first (or the first one published), then each
     * new one, or the latest after a gap.
     */
    Flux<Publisher<DataBuffer>> events(ListMetricsFilter filter, StreamOutbound outbound) {
        return events(filter, outbound, 0);
    }

    /**
     * The events of a client that has already received snapshot {@code lastSeen} (its
     * {@code Last-Event-ID}): only snapshots newer than that, the current one first if it is.
     */
    Flux<Publisher<DataBuffer>> events(ListMetricsFilter filter, StreamOutbound outbound, long lastSeen) {
        return Flux.create(sink -> {
            open.incrementAndGet();
            StreamClient client = new StreamClient(filter, outbound, () -> timer.now(TimeUnit.MILLISECONDS),
                    properties.keepalive().toMillis(), properties.writeTimeout().toMillis(), dropped::increment,
                    reason -> cuts.get(reason).increment(), lastSeen);
            client.attach(sink);
            Disposable ticks = Flux.interval(TICK, TICK, timer)
                    .onBackpressureDrop()
                    .subscribe(tick -> serve(client, StreamClient::tick), error -> log.warn("Stream ticks ended", error));
            sink.onRequest(n -> serve(client, StreamClient::drain));
            sink.onDispose(() -> {
                ticks.dispose();
                clients.remove(client);
                client.close();
                open.decrementAndGet();
            });
            clients.add(client);
            Scheduler thread = fanout;
            if (phase != Phase.RUNNING || thread == null) {
                client.close();
                return;
            }
            Snapshot now = store.current();
            if (now == null || now.sequence() <= lastSeen) {
                client.greetWhileWaiting();
            }
            // the first event is made on the fan-out thread, as every other: this callback runs on
            // the subscribing thread, an event loop, where work proportional to a body never runs
            try {
                thread.schedule(() -> {
                    Snapshot current = store.current();
                    if (current != null) {
                        StreamEdition edition = edition(current);
                        serve(client, each -> each.offer(edition));
                    }
                });
            } catch (RejectedExecutionException stopped) {
                // the stream stopped meanwhile: it ends every client
                client.close();
            }
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /**
     * The edition of {@code snapshot}, or of a newer snapshot when the stream already has one (the
     * newest is what a client wants): one per snapshot, so that clients share its event bodies.
     */
    private StreamEdition edition(Snapshot snapshot) {
        while (true) {
            StreamEdition latest = this.latest.get();
            if (latest != null && latest.sequence() >= snapshot.sequence()) {
                return latest;
            }
            StreamEdition made = new StreamEdition(snapshot, encoder);
            if (this.latest.compareAndSet(latest, made)) {
                return made;
            }
        }
    }

    /**
     * What the clients hold of older snapshots' event data that their connections have not taken,
     * by body (a body several clients hold is held once): each with the clients holding it.
     */
    private Map<EventBody, List<StreamClient>> pendingBodies() {
        StreamEdition newest = latest.get();
        // EventBody is equal only to itself: one entry per block of memory
        Map<EventBody, List<StreamClient>> held = new HashMap<>();
        if (newest == null) {
            return held;
        }
        for (StreamClient client : clients) {
            EventBody body = client.pinned();
            if (body != null && body.sequence() < newest.sequence()) {
                held.computeIfAbsent(body, key -> new ArrayList<>()).add(client);
            }
        }
        return held;
    }

    /** Bytes of older snapshots' event data that connections hold and have not taken yet. */
    long pendingBytes() {
        long total = 0;
        for (EventBody body : pendingBodies().keySet()) {
            total += body.size();
        }
        return total;
    }

    /**
     * Beyond {@code stream.max-pending-bytes}, cuts the clients that hold the oldest bodies, oldest
     * first, until the rest fit. Such a client cannot be skipped to the newest snapshot instead: its
     * event is partly written, and an SSE event cannot be abandoned halfway without corrupting the
     * stream; closing the connection drops what is queued on it. The client reconnects (as
     * {@code EventSource} does by itself) and gets the newest snapshot first, so what it misses is
     * only the snapshots in between, as a slow client skips them anyway.
     */
    private void keepPendingBytesWithinBudget() {
        Map<EventBody, List<StreamClient>> held = pendingBodies();
        long total = 0;
        for (EventBody body : held.keySet()) {
            total += body.size();
        }
        if (total <= maxPendingBytes) {
            overBudget = false;
            return;
        }
        List<EventBody> oldestFirst = new ArrayList<>(held.keySet());
        oldestFirst.sort(Comparator.comparingLong(EventBody::sequence));
        int cut = 0;
        long before = total;
        for (EventBody body : oldestFirst) {
            if (total <= maxPendingBytes) {
                break;
            }
            // every holder goes: while one keeps it, the memory stays
            for (StreamClient client : held.get(body)) {
                // counted without its lock: it may have written the body since
                if (client.cutIfHolding(body, StreamClient.Cut.MAX_PENDING_BYTES)) {
                    cut++;
                }
            }
            total -= body.size();
        }
        String message = "Stream clients held {} bytes of older snapshots' events, over stream.max-pending-bytes"
                + " (STREAM_MAX_PENDING_BYTES) {}: disconnected the {} holding the oldest";
        if (overBudget) {
            log.debug(message, before, maxPendingBytes, cut);
        } else {
            log.warn(message, before, maxPendingBytes, cut);
        }
        overBudget = true;
    }

    int clients() {
        return open.get();
    }

    @Override
    public synchronized void start() {
        phase = Phase.RUNNING;
        Scheduler thread = fanoutFactory.get();
        fanout = thread;
        // off the publishing (ingestion) thread; while the fan-out is busy only the latest snapshot waits
        subscription = store.published().onBackpressureLatest().publishOn(thread, 1).subscribe(snapshot -> {
            StreamEdition edition = edition(snapshot);
            for (StreamClient client : clients) {
                serve(client, each -> each.offer(edition));
            }
            try {
                keepPendingBytesWithinBudget();
            } catch (RuntimeException | Error failure) {
                // left to propagate it would end this subscription: no client would get another snapshot
                budgetCheckFailures.increment();
                log.error("The stream's pending-bytes check failed; the stream goes on with the next snapshot",
                        failure);
            }
        }, error -> log.error("Streams stopped following snapshots", error));
    }

    /**
     * One client's share of the work: whatever it throws ends that client's stream only. Left to
     * propagate, it would end the fan-out's subscription (no client would get another snapshot) or
     * the client's ticks.
     */
    private static void serve(StreamClient client, Consumer<StreamClient> work) {
        try {
            work.accept(client);
        } catch (RuntimeException | Error failure) {
            client.fail(failure);
        }
    }

    /** Ends every stream, so that graceful shutdown does not wait for them. */
    @Override
    public synchronized void stop() {
        phase = Phase.STOPPED;
        if (subscription != null) {
            subscription.dispose();
            subscription = null;
        }
        if (fanout != null) {
            fanout.dispose();
            fanout = null;
        }
        if (!clients.isEmpty()) {
            log.info("Closing {} snapshot streams", clients.size());
        }
        for (StreamClient client : clients) {
            client.close();
        }
    }

    @Override
    public boolean isRunning() {
        return phase == Phase.RUNNING;
    }
}
