package io.fabrictelemetry.metrics.history;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.WorkerLifecycle;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Feeds every published snapshot into {@link History}, off the ingestion path: the poll loop
 * publishes first and only hands the snapshot over; one thread of its own appends. At most one
 * snapshot waits: if a newer one is published before the previous append is done, the waiting one
 * is replaced (and counted), so a slow append never queues up snapshots or holds on to them.
 */
@Component
public class HistoryRecorder extends WorkerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);
    /** The span of one append, in the trace of the poll whose snapshot it is (README, "Tracing"). */
    public static final String APPEND_SPAN = "fabric.history.append";

    private final SnapshotStore store;
    private final History history;
    private final Clock clock;
    private final AtomicReference<@Nullable Pending> waiting = new AtomicReference<>();
    private final Tracer tracer;
    private final Timer appendTime;
    private final Counter skipped;
    // the sequence of the snapshot last appended (or that failed to append); guarded by itself for
    // awaitAppended's wait, written by the history thread only
    private final Object appendedLock = new Object();
    private long appended = Long.MIN_VALUE;

    /** A snapshot waiting to be appended, and the trace it was published in (a poll's), if any. */
    private record Pending(Snapshot snapshot, @Nullable TraceContext publishedIn) {
    }

    public HistoryRecorder(SnapshotStore store, HistoryProperties properties, MeterRegistry registry, Clock clock) {
        this(store, properties, registry, clock, Tracer.NOOP);
    }

    /** A recorder whose appends of a traced poll's snapshot are spans of that poll's trace. */
    @Autowired
    public HistoryRecorder(SnapshotStore store, HistoryProperties properties, MeterRegistry registry, Clock clock,
            Tracer tracer) {
        super("history");
        this.tracer = tracer;
        this.store = store;
        this.clock = clock;
        this.history = new History(properties.retention().toMillis(), properties.maxBytes().toBytes());
        Gauge.builder("fabric.history.bytes", history, History::bytes)
                .description("Memory held by metric history (encoded snapshots, layouts, encoder state)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("fabric.history.snapshots", history, History::frames)
                .description("Snapshots kept in metric history")
                .register(registry);
        Gauge.builder("fabric.history.points", history, History::cells)
                .description("Points (cells of kept snapshots) in metric history")
                .register(registry);
        appendTime = Timer.builder("fabric.history.append")
                .description("Time to encode one snapshot into history and evict what no longer fits")
                .register(registry);
        skipped = Counter.builder("fabric.history.skipped")
                .description("Snapshots not recorded because a newer one arrived before the previous append ended")
                .register(registry);
    }

    public History history() {
        return history;
    }

    /** Hands a snapshot over to the history thread; never blocks. */
    void offer(Snapshot snapshot) {
        Scheduler target = worker();
        if (!history.enabled() || target == null) {
            return;
        }
        // offered on the publishing thread: within a poll, its publish span is current
        Pending replaced = waiting.getAndSet(new Pending(snapshot, tracer.currentTraceContext().context()));
        if (replaced == null) {
            target.schedule(this::appendWaiting);
        } else {
            skipped.increment();
        }
    }

    private void appendWaiting() {
        Pending pending = waiting.getAndSet(null);
        if (pending == null) {
            return;
        }
        Snapshot snapshot = pending.snapshot();
        Span span = pending.publishedIn() == null ? null : tracer.spanBuilder().name(APPEND_SPAN)
                .setParent(pending.publishedIn()).tag("fabric.snapshot.sequence", snapshot.sequence()).start();
        long started = System.nanoTime();
        try {
            PortView ports = snapshot.ports();
            history.append(ports == null ? new SnapshotColumns(snapshot) : PortColumns.of(snapshot, ports),
                    clock.millis());
        } catch (RuntimeException e) {
            log.error("Snapshot {} could not be added to history", snapshot.sequence(), e);
            if (span != null) {
                span.error(e);
            }
        } finally {
            if (span != null) {
                span.end();
            }
            appendTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            synchronized (appendedLock) {
                appended = Math.max(appended, snapshot.sequence());
                appendedLock.notifyAll();
            }
        }
    }

    /**
     * Waits until the snapshot with {@code sequence} (or a newer one) has been appended, at most
     * {@code timeout}; true if it was, or if there is nothing to wait for (history off, not running).
     * For a writer that replays a log ({@code kafka/RecordConsumer}) on a thread of its own, never an
     * event loop: it publishes snapshots faster than they are appended, and without waiting the
     * hand-off would keep only the latest, so the rebuilt history would miss points.
     */
    public boolean awaitAppended(long sequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appendedLock) {
            while (appended < sequence) {
                if (!history.enabled() || worker() == null) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(appendedLock, left);
            }
            return true;
        }
    }

    /**
     * Points of one series, oldest first, from {@code fromMillis} on and within the retention: a
     * switch row's, or on port rows the switch's aggregate.
     */
    public List<Point> query(String switchId, String metric, long fromMillis) {
        return history.query(switchId, metric, fromMillis, clock.millis());
    }

    /** Points of one port's series, oldest first, from {@code fromMillis} on and within the retention. */
    public List<Point> queryPort(String switchId, int port, String metric, long fromMillis) {
        return history.queryPort(switchId, port, metric, fromMillis, clock.millis());
    }

    @Override
    protected Disposable subscribe(Scheduler worker) {
        return store.published().subscribe(this::offer,
                error -> log.error("History stopped following snapshots", error));
    }

    @Override
    protected void started() {
        if (history.enabled()) {
            log.info("Keeping metric history for {} within {} bytes", Duration.ofMillis(history.retentionMillis()),
                    history.maxBytes());
        } else {
            log.info("Metric history is off (history.retention or history.max-bytes is 0)");
        }
    }
}
