package io.fabrictelemetry.metrics.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.WorkerLifecycle;
import io.fabrictelemetry.metrics.kafka.ConditionalOnIngestMode;
import io.fabrictelemetry.metrics.kafka.IngestMode;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The ingestion lifecycle: from the moment the web server is up until shutdown, polls the
 * generator every {@code poll.interval}, whether or not anyone reads the API.
 *
 * <p>Polls never overlap: ticks that arrive while a poll runs are dropped, never queued. Each poll
 * is bounded as a whole by {@code poll.timeout}, and its failure is recorded and logged inside the
 * per-tick step, so no failure can end the schedule: any throwable of the service's own steps,
 * {@link Error}s included, ends that poll as {@link PollOutcome#INTERNAL_ERROR} and the next tick
 * polls again. Parsing and snapshot building run on a thread of their own, never on an event loop;
 * the timeout does not reach them, so {@code health/PollLoopHealthIndicator} turns liveness DOWN if
 * the loop stops completing polls.
 *
 * <p>Each accepted payload goes to the {@link PayloadSink}: straight to the store in poll mode; in
 * publish mode through the Kafka log first, the snapshot published once the record is acknowledged
 * (or, when it cannot be, under a local identity: {@code kafka/KafkaPublisher}). The sink also names the
 * {@code If-None-Match} each poll sends ({@link PayloadSink#ifNoneMatch}): the served payload's ETag,
 * or in publish mode the last logged one's, so that a {@code 304} never keeps a payload out of the log.
 *
 * <p>Each poll is a trace ({@link PollSpans}): the steps below open their spans and nothing else.
 */
@Component
// INGEST_MODE=consume builds snapshots from Kafka (kafka/RecordConsumer), never polls
@ConditionalOnIngestMode({IngestMode.POLL, IngestMode.PUBLISH})
class PollLoop extends WorkerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PollLoop.class);

    private final CountersFetcher fetcher;
    private final SnapshotStore store;
    private final IngestionTracker tracker;
    private final PollProperties poll;
    private final IngestMetrics metrics;
    private final String source;
    private final PayloadSink sink;
    private final PollSpans spans;

    /** A loop whose accepted payloads go straight to the store (poll mode), not traced. */
    PollLoop(CountersFetcher fetcher, SnapshotStore store, IngestionTracker tracker, PollProperties poll,
            GeneratorProperties generator, IngestMetrics metrics) {
        this(fetcher, store, tracker, poll, generator, metrics, PayloadSink.direct(store));
    }

    /**
     * A loop whose accepted payloads go to {@code sinks}' sink when there is one (publish mode: through
     * the Kafka log first), else straight to the store; its polls are traced by {@code spans}.
     */
    @Autowired
    PollLoop(CountersFetcher fetcher, SnapshotStore store, IngestionTracker tracker, PollProperties poll,
            GeneratorProperties generator, IngestMetrics metrics, ObjectProvider<PayloadSink> sinks,
            PollSpans spans) {
        this(fetcher, store, tracker, poll, generator, metrics, sinks.getIfAvailable(() -> PayloadSink.direct(store)),
                spans);
    }

    /** A loop whose accepted payloads go to {@code sink}, not traced. */
    PollLoop(CountersFetcher fetcher, SnapshotStore store, IngestionTracker tracker, PollProperties poll,
            GeneratorProperties generator, IngestMetrics metrics, PayloadSink sink) {
        this(fetcher, store, tracker, poll, generator, metrics, sink, PollSpans.NONE);
    }

    PollLoop(CountersFetcher fetcher, SnapshotStore store, IngestionTracker tracker, PollProperties poll,
            GeneratorProperties generator, IngestMetrics metrics, PayloadSink sink, PollSpans spans) {
        super("ingest");
        this.spans = spans;
        this.fetcher = fetcher;
        this.store = store;
        this.tracker = tracker;
        this.poll = poll;
        this.metrics = metrics;
        this.source = generator.countersUrl();
        this.sink = sink;
    }

    /** The schedule: one element per completed poll. {@code timer} drives ticks and timeouts. */
    Flux<PollOutcome> polls(Scheduler timer, Scheduler work) {
        return Flux.defer(() -> {
            tracker.loopStarted(Instant.ofEpochMilli(timer.now(TimeUnit.MILLISECONDS)));
            return Flux.interval(Duration.ZERO, poll.interval(), timer)
                    .onBackpressureDrop(tick -> log.debug("Tick {} dropped: the previous poll is still running", tick))
                    .concatMap(tick -> pollOnce(timer, work), 0);
        }).doOnCancel(tracker::loopStopped);
    }

    /** One poll: fetch within the timeout, parse and publish off the event loop, record the outcome. */
    Mono<PollOutcome> pollOnce(Scheduler timer, Scheduler work) {
        return Mono.defer(() -> {
            long started = timer.now(TimeUnit.MILLISECONDS);
            PollSpans.Poll trace = spans.start(source);
            Snapshot current = store.current();
            return fetch(sink.ifNoneMatch(current), trace)
                    .timeout(poll.timeout(), timer)
                    .switchIfEmpty(Mono.error(() -> new InternalFailureException("fetching",
                            new IllegalStateException("fetch completed without a result"))))
                    .map(result -> new Received(result, Instant.ofEpochMilli(timer.now(TimeUnit.MILLISECONDS)), trace))
                    .publishOn(work)
                    .map(this::applyGuarded)
                    .onErrorResume(error -> {
                        PollOutcome outcome = trace.within(() -> failed(error, started, timer));
                        trace.end(outcome, error);
                        return Mono.just(outcome);
                    })
                    .doOnNext(outcome -> {
                        if (outcome.succeeded()) {
                            trace.within(() -> succeeded(outcome, started, timer));
                            trace.end(outcome, null);
                        }
                    })
                    .doOnCancel(trace::cancelled);
        });
    }

    /**
     * The fetcher's result, with whatever calling it or subscribing to it throws turned into an
     * {@link InternalFailureException}: a fetcher that throws instead of signalling fails the poll,
     * and so does an {@link Error} thrown while the exchange is set up, which Reactor's operators
     * ({@code Mono.defer} among them) re-throw to the subscribing thread instead of signalling.
     * Cancelling (the timeout, shutdown) cancels the exchange.
     */
    private Mono<FetchResult> fetch(@Nullable String etag, PollSpans.Poll trace) {
        Span span = trace.child(PollSpans.FETCH);
        return Mono.<FetchResult>create(sink -> {
            String stage = "calling the fetcher";
            // current while the exchange starts: WebClient's client span, and its traceparent, are its children
            try (Tracer.SpanInScope scope = trace.inScope(span)) {
                Mono<FetchResult> exchange = fetcher.fetch(etag);
                stage = "fetching";
                sink.onDispose(exchange.subscribe(sink::success, sink::error, sink::success));
            } catch (Throwable error) {
                sink.error(new InternalFailureException(stage, error));
            }
        }).doOnNext(trace::received).doOnError(span::error).doFinally(signal -> span.end());
    }

    private record Received(FetchResult result, Instant at, PollSpans.Poll trace) {
    }

    /**
     * {@link #apply} with every throwable but a rejected payload turned into an
     * {@link InternalFailureException}: {@code map} would re-throw a JVM-fatal error (an
     * OutOfMemoryError, a StackOverflowError) on the worker thread instead of signalling it, and the
     * poll would never complete.
     */
    private PollOutcome applyGuarded(Received received) {
        try {
            return apply(received);
        } catch (PayloadRejectedException rejected) {
            throw rejected;
        } catch (Throwable error) {
            throw new InternalFailureException("parsing, building or publishing the snapshot", error);
        }
    }

    private PollOutcome apply(Received received) {
        if (received.result() instanceof FetchResult.Fetched fetched) {
            metrics.payload(fetched.body().length);
            Table table = received.trace().step(PollSpans.PARSE, () -> CsvPayloadParser.parse(fetched.body(), store.current()));
            metrics.rejected(table.rejectedRows(), table.unaddressableRows(), table.rejectedValues());
            Snapshot snapshot = received.trace().step(PollSpans.PUBLISH, () -> sink.accept(new AcceptedPayload(
                    fetched.body(), fetched.etag(), fetched.sampledAt(), fetched.contentType(), received.at(), table)));
            if (table.rejectedRows() > 0 || table.rejectedValues() > 0) {
                log.debug("Snapshot {} applied with {} rejected rows and {} rejected values", snapshot.sequence(),
                        table.rejectedRows(), table.rejectedValues());
            }
            return PollOutcome.SUCCESS;
        }
        return PollOutcome.NOT_MODIFIED;
    }

    /**
     * The payload's {@code sampledAt}: {@code X-Sampled-At} when sent (and readable), else, for port
     * rows, the newest row {@code timestamp}, else the arrival time.
     */
    static Instant sampledAt(@Nullable String header, Table table, Instant collectedAt) {
        return AcceptedPayload.sampledAt(said(header), table, collectedAt);
    }

    /** {@code X-Sampled-At} when sent and readable, else {@code null}. */
    static @Nullable Instant said(@Nullable String header) {
        if (header != null) {
            try {
                return Instant.parse(header);
            } catch (DateTimeParseException e) {
                log.debug("Ignoring unparseable X-Sampled-At '{}'", header);
            }
        }
        return null;
    }

    /**
     * Records a completed poll. Each step is guarded ({@link #guarded}): a throwable of the tracker
     * or the metrics, {@link Error}s included, is logged, the other steps still run, and the next
     * tick polls again; outside {@link #applyGuarded} nothing else would stop it ending the schedule.
     */
    private PollOutcome succeeded(PollOutcome outcome, long started, Scheduler timer) {
        long now = timer.now(TimeUnit.MILLISECONDS);
        Duration took = Duration.ofMillis(now - started);
        guarded("updating the ingestion status", () -> {
            IngestionStatus before = tracker.status();
            tracker.update(status -> status.succeeded(outcome, Instant.ofEpochMilli(now), took));
            if (before.failingSince() != null) {
                log.info("Polling {} recovered after {} ({} failed polls)", source,
                        Duration.ofMillis(now - before.failingSince().toEpochMilli()), before.consecutiveFailures());
            }
        });
        guarded("counting the poll", () -> metrics.poll(outcome, took));
        return outcome;
    }

    /** Records a failed poll, each step guarded as in {@link #succeeded}; returns its outcome. */
    private PollOutcome failed(Throwable error, long started, Scheduler timer) {
        long now = timer.now(TimeUnit.MILLISECONDS);
        Duration took = Duration.ofMillis(now - started);
        PollOutcome outcome;
        try {
            outcome = PollOutcome.of(error);
        } catch (Throwable classifying) {
            log.error("Classifying a failed poll failed; counted as {}", PollOutcome.INTERNAL_ERROR.tag(), classifying);
            outcome = PollOutcome.INTERNAL_ERROR;
        }
        PollOutcome counted = outcome;
        guarded("updating the ingestion status", () -> {
            String description = PollOutcome.describe(error);
            PollOutcome previous = tracker.status().lastOutcome();
            IngestionStatus status = tracker.update(s -> s.failed(counted, description, Instant.ofEpochMilli(now), took));
            if (counted == PollOutcome.INTERNAL_ERROR && previous != PollOutcome.INTERNAL_ERROR) {
                // the service's own fault: said at once with its stack trace, even within a generator outage
                log.warn("Polling {} failed ({}): {}; serving the last snapshot, polling again at the next tick",
                        source, counted.tag(), description, error);
            } else if (status.consecutiveFailures() == 1) {
                log.warn("Polling {} failed ({}): {}; serving the last snapshot until it recovers", source,
                        counted.tag(), description);
            } else {
                log.debug("Polling {} failed again ({}, {} in a row): {}", source, counted.tag(),
                        status.consecutiveFailures(), description);
            }
        });
        guarded("counting the poll", () -> metrics.poll(counted, took));
        return counted;
    }

    /**
     * One bookkeeping step of a poll: whatever it throws, {@link Error}s included, is logged and
     * goes no further, so that it cannot end the schedule.
     */
    private static void guarded(String step, Runnable action) {
        try {
            action.run();
        } catch (Throwable error) {
            log.error("Recording a poll failed ({}); polling again at the next tick", step, error);
        }
    }

    @Override
    protected Disposable subscribe(Scheduler worker) {
        return polls(Schedulers.parallel(), worker).subscribe(
                outcome -> { },
                error -> log.error("Poll loop ended unexpectedly; ingestion has stopped", error));
    }

    @Override
    protected void started() {
        log.info("Polling {} every {} (timeout {})", source, poll.interval(), poll.timeout());
    }
}
