package io.fabrictelemetry.metrics.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.EntityTags;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Holds the latest snapshot. One writer (the poll loop) builds a complete snapshot and swaps it in
 * with a single set; readers take it without a lock and never see a half-built one.
 *
 * <p>When the writer's thread has a current span (a poll's {@code fabric.poll.publish}), the build
 * (carry-over, aggregates, rates, the encoded ListMetrics body) is a child span of it,
 * {@value #BUILD_SPAN}; the swap and the hand-off to subscribers (history) follow under the caller's
 * span. Without a current span nothing is traced.
 */
@Component
public class SnapshotStore {

    // A restarted service never answers 304 to an ETag that a previous process issued.
    private final EntityTags etags = EntityTags.bootScoped();
    private final AtomicReference<@Nullable Snapshot> current = new AtomicReference<>();
    // Subscribers (history, streams) take each snapshot in onNext and hand it off at once: the
    // publishing thread never waits for them. One with no demand would miss it: they request all.
    private final Sinks.Many<Snapshot> published = Sinks.many().multicast().directBestEffort();
    private final Duration staleAfter;
    private final List<String> counters;
    private final Tracer tracer;

    /** The span of a snapshot's build, a child of the publishing thread's current span. */
    public static final String BUILD_SPAN = "fabric.poll.build";

    /** A store whose snapshots derive the rates of these counters, their builds traced by {@code tracer}. */
    @Autowired
    public SnapshotStore(StaleProperties stale, CounterProperties counters, ObjectProvider<Tracer> tracer) {
        this.staleAfter = stale.after();
        this.counters = counters.counters();
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
    }

    /** A store whose snapshots derive the rates of these counters, not traced. */
    public SnapshotStore(StaleProperties stale, CounterProperties counters) {
        this.staleAfter = stale.after();
        this.counters = counters.counters();
        this.tracer = Tracer.NOOP;
    }

    /** A store with the default counters. */
    public SnapshotStore(StaleProperties stale) {
        this(stale, CounterProperties.defaults());
    }

    /** The latest snapshot, or {@code null} before the first accepted payload. */
    public @Nullable Snapshot current() {
        return current.get();
    }

    /**
     * Every snapshot published from the moment of subscription, on the publishing thread: a
     * subscriber must hand each one off without blocking (and keep at most the latest).
     */
    public Flux<Snapshot> published() {
        return published.asFlux();
    }

    /** Builds the next snapshot from an accepted payload and publishes it. Single writer only. */
    public Snapshot publish(Table table, Instant sampledAt, Instant collectedAt, @Nullable String generatorEtag) {
        Snapshot previous = current.get();
        long sequence = previous == null ? 1 : previous.sequence() + 1;
        return publish(table, sampledAt, collectedAt, generatorEtag, sequence, etags.tag(sequence));
    }

    /**
     * Builds the next snapshot from an accepted payload under the given identity and publishes it:
     * the sequence and ETag derived from the payload's place in the Kafka log (issue 23), the same on
     * every replica. {@code sequence} must exceed the current snapshot's (streams and caches skip a
     * snapshot that does not). Single writer only.
     */
    public Snapshot publish(Table table, Instant sampledAt, Instant collectedAt, @Nullable String generatorEtag,
            long sequence, String etag) {
        return publishAfter(current.get(), table, sampledAt, collectedAt, generatorEtag, sequence, etag);
    }

    /**
     * {@link #publish(Table, Instant, Instant, String, long, String)}, the snapshot built as the
     * successor of {@code previous} (its rates and carried-over switches) rather than of the current
     * one: a Kafka publisher that served snapshots outside the log while the broker was away builds
     * the next logged one on the last logged one, as every consumer of the log does. Single writer only.
     */
    public Snapshot publishAfter(@Nullable Snapshot previous, Table table, Instant sampledAt, Instant collectedAt,
            @Nullable String generatorEtag, long sequence, String etag) {
        Span caller = tracer.currentSpan();
        if (caller == null) {
            return swapIn(build(previous, table, sampledAt, collectedAt, generatorEtag, sequence, etag));
        }
        Span span = tracer.spanBuilder().name(BUILD_SPAN).setParent(caller.context()).start();
        Snapshot next;
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            next = build(previous, table, sampledAt, collectedAt, generatorEtag, sequence, etag);
            span.tag("fabric.snapshot.sequence", next.sequence());
            span.tag("fabric.snapshot.switches", next.switchCount());
        } catch (Throwable error) {
            span.error(error);
            throw error;
        } finally {
            span.end();
        }
        return swapIn(next);
    }

    private Snapshot build(@Nullable Snapshot previous, Table table, Instant sampledAt, Instant collectedAt,
            @Nullable String generatorEtag, long sequence, String etag) {
        CarryOver.Merged merged = previous == null
                ? new CarryOver.Merged(CarryOver.mergePorts(table, null, collectedAt, staleAfter), Map.of())
                : CarryOver.merge(table, previous, collectedAt, staleAfter);
        // consecutive payloads of one fabric encode to nearly the same size per switch (the rates
        // aside: they are counted exactly once computed)
        long sizeHint = previous == null || previous.switchCount() == 0 ? 0
                : previous.listMetricsGeneratorBytes() * merged.table().switchCount() / previous.switchCount();
        return new Snapshot(sequence, sampledAt, collectedAt, generatorEtag,
                etag, merged.table(), merged.carriedOver(), previous, counters,
                sizeHint);
    }

    private Snapshot swapIn(Snapshot next) {
        current.set(next);
        // single writer, so never contended; no subscriber is not a failure
        published.tryEmitNext(next);
        return next;
    }
}
