package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The schedule in virtual time, over a fake fetch function: no network, no sleeps. */
@ExtendWith(OutputCaptureExtension.class)
class PollLoopTests {

    private static final PollProperties POLL = new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
            DataSize.ofMegabytes(1));
    private static final String CSV = "switch_id,latency_us\r\nsw-0001,1.5\r\n";

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private GeneratorProperties source = new GeneratorProperties("127.0.0.1", 9001, null);
    private final IngestionTracker tracker = new IngestionTracker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<@Nullable String> etagsSent = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private Disposable running = () -> { };

    @AfterEach
    void stop() {
        running.dispose();
    }

    private static Mono<FetchResult> body(String csv, String etag) {
        return Mono.just(new FetchResult.Fetched(csv.getBytes(StandardCharsets.UTF_8), etag,
                "2026-11-28T10:00:00.000Z"));
    }

    /** Wraps the per-call behaviour to record what the loop sent and how many fetches overlap. */
    private CountersFetcher fetcher(Function<Integer, Mono<FetchResult>> behaviour) {
        AtomicInteger calls = new AtomicInteger();
        return etag -> Mono.defer(() -> {
            etagsSent.add(etag);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return behaviour.apply(calls.incrementAndGet());
        }).doFinally(signal -> inFlight.decrementAndGet());
    }

    private void run(CountersFetcher fetcher, Scheduler work) {
        PollLoop loop = new PollLoop(fetcher, store, tracker, POLL, source,
                new IngestMetrics(registry, tracker, store, Clock.systemUTC()));
        running = loop.polls(time, work).subscribe();
    }

    private double polls(String outcome) {
        return registry.get("fabric.ingest.polls").tag("outcome", outcome).counter().count();
    }

    @Test
    void pollsAtStartThenOncePerInterval() {
        run(fetcher(call -> body(CSV, "\"g-" + call + "\"")), Schedulers.immediate());
        assertThat(etagsSent).hasSize(1);

        time.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(etagsSent).hasSize(6);
        assertThat(store.current().sequence()).isEqualTo(6);
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.SUCCESS);
    }

    @Test
    void sendsTheCurrentSnapshotsGeneratorEtagAsIfNoneMatch() {
        run(fetcher(call -> call == 1 ? body(CSV, "\"g-1\"") : Mono.just(new FetchResult.NotModified())),
                Schedulers.immediate());
        time.advanceTimeBy(Duration.ofSeconds(4));

        assertThat(etagsSent).containsExactly(null, "\"g-1\"", "\"g-1\"");
    }

    @Test
    void notModifiedKeepsTheSnapshotAndCountsAsSuccess() {
        run(fetcher(call -> call == 1 ? body(CSV, "\"g-1\"") : Mono.just(new FetchResult.NotModified())),
                Schedulers.immediate());
        Snapshot first = store.current();
        time.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(store.current()).isSameAs(first);
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.NOT_MODIFIED);
        assertThat(tracker.status().lastSuccessAt()).isEqualTo(java.time.Instant.ofEpochMilli(2000));
    }

    @Test
    void fetchSlowerThanTheTimeoutIsCancelledAndNeverOverlapsTheNextPoll() {
        run(fetcher(call -> Mono.<FetchResult>never()), Schedulers.immediate());
        time.advanceTimeBy(Duration.ofSeconds(20));

        assertThat(etagsSent).hasSize(11);
        assertThat(maxInFlight.get()).isEqualTo(1);
        assertThat(inFlight.get()).isEqualTo(1); // the poll started at 20 s is the only one running
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.TIMEOUT);
        assertThat(tracker.status().consecutiveFailures()).isEqualTo(10);
        assertThat(tracker.status().lastPollDuration()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void ticksThatArriveWhileAPollRunsAreDroppedNotQueued() {
        // the parse step runs on a worker that only runs when the test says so
        Queue<Runnable> parked = new ArrayDeque<>();
        Scheduler work = Schedulers.fromExecutor(parked::add);
        run(fetcher(call -> body(CSV, "\"g-" + call + "\"")), work);

        time.advanceTimeBy(Duration.ofSeconds(9)); // ticks at 2, 4, 6, 8 s arrive while poll 1 is parked
        assertThat(etagsSent).hasSize(1);

        parked.poll().run(); // poll 1 completes at 9 s
        assertThat(etagsSent).hasSize(1);
        time.advanceTimeBy(Duration.ofSeconds(1)); // the next tick, at 10 s, starts poll 2
        assertThat(etagsSent).hasSize(2);
        assertThat(parked).hasSize(1);
    }

    @Test
    void failedPollKeepsThePreviousSnapshotExactlyAndTheScheduleGoesOn() {
        run(fetcher(call -> switch (call) {
            case 1 -> body(CSV, "\"g-1\"");
            case 2 -> Mono.error(new GeneratorHttpException(500));
            case 3 -> body("<html>oops</html>", "\"g-3\"");
            default -> body("switch_id,latency_us\r\nsw-0001,2.5\r\n", "\"g-4\"");
        }), Schedulers.immediate());
        Snapshot first = store.current();

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(store.current()).isSameAs(first);
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.HTTP_ERROR);

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(store.current()).isSameAs(first);
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.PARSE_ERROR);
        assertThat(tracker.status().consecutiveFailures()).isEqualTo(2);
        assertThat(tracker.status().failingSince()).isEqualTo(java.time.Instant.ofEpochMilli(2000));

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(store.current().sequence()).isEqualTo(2);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-4\"");
        assertThat(tracker.status().consecutiveFailures()).isZero();
        assertThat(tracker.status().failingSince()).isNull();
        assertThat(tracker.status().lastError()).contains("header must start with 'switch_id'");
    }

    @Test
    void unexpectedExceptionInsideTheFetchIsRecordedAndDoesNotEndTheSchedule() {
        run(etag -> {
            throw new IllegalStateException("bug");
        }, Schedulers.immediate());
        time.advanceTimeBy(Duration.ofSeconds(4));

        assertThat(tracker.status().consecutiveFailures()).isEqualTo(3);
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.INTERNAL_ERROR);
        assertThat(tracker.status().lastError())
                .isEqualTo("internal error while calling the fetcher: java.lang.IllegalStateException: bug");
        assertThat(polls("internal_error")).isEqualTo(3);
    }

    @Test
    void errorThrownByTheFetcherEndsThatPollAsAnInternalErrorAndTheNextTickPollsAgain() {
        AtomicInteger calls = new AtomicInteger();
        run(etag -> {
            if (calls.incrementAndGet() == 2) {
                // JVM-fatal to Reactor, like an OutOfMemoryError, but one JUnit does not abort the run for
                throw new NoClassDefFoundError("io/netty/handler/codec/http/HttpObjectDecoder");
            }
            return body(CSV, "\"g-" + calls.get() + "\"");
        }, Schedulers.immediate());

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.INTERNAL_ERROR);
        assertThat(tracker.status().lastError()).isEqualTo("internal error while calling the fetcher:"
                + " java.lang.NoClassDefFoundError: io/netty/handler/codec/http/HttpObjectDecoder");
        assertThat(store.current().sequence()).isEqualTo(1);

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-3\"");
    }

    /**
     * The bookkeeping after a poll is guarded too: an Error thrown while counting a successful poll
     * is logged, the poll is still recorded in the status, and the next tick polls again.
     */
    @Test
    void errorThrownWhileCountingASuccessfulPollIsLoggedAndTheNextTickPollsAgain() {
        AtomicInteger counted = new AtomicInteger();
        IngestMetrics metrics = new IngestMetrics(registry, tracker, store, Clock.systemUTC()) {
            @Override
            void poll(PollOutcome outcome, Duration took) {
                if (counted.incrementAndGet() == 1) {
                    // JVM-fatal to Reactor, which re-throws it from doOnNext instead of signalling it
                    throw new NoClassDefFoundError("io/micrometer/core/instrument/Counter");
                }
                super.poll(outcome, took);
            }
        };
        running = new PollLoop(fetcher(call -> body(CSV, "\"g-" + call + "\"")), store, tracker, POLL, source, metrics)
                .polls(time, Schedulers.immediate()).subscribe();
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().sequence()).isEqualTo(1);

        time.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(etagsSent).hasSize(2);
        assertThat(store.current().sequence()).isEqualTo(2);
        assertThat(polls("success")).isEqualTo(1);
    }

    /**
     * An Error thrown while recording a failed poll's status is logged, the poll is still counted
     * under its outcome, and the next tick polls again.
     */
    @Test
    void errorThrownWhileRecordingAFailedPollIsLoggedAndTheNextTickPollsAgain() {
        AtomicInteger updates = new AtomicInteger();
        IngestionTracker failingOnce = new IngestionTracker() {
            @Override
            IngestionStatus update(UnaryOperator<IngestionStatus> change) {
                if (updates.incrementAndGet() == 2) {
                    throw new NoClassDefFoundError("io/fabrictelemetry/metrics/ingest/IngestionStatus");
                }
                return super.update(change);
            }
        };
        running = new PollLoop(fetcher(call -> call == 2 ? Mono.error(new GeneratorHttpException(500))
                : body(CSV, "\"g-" + call + "\"")), store, failingOnce, POLL, source,
                new IngestMetrics(registry, failingOnce, store, Clock.systemUTC()))
                .polls(time, Schedulers.immediate()).subscribe();

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(updates.get()).isEqualTo(2);
        assertThat(polls("http_error")).isEqualTo(1);

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(etagsSent).hasSize(3);
        assertThat(failingOnce.status().lastOutcome()).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-3\"");
    }

    @Test
    void errorThrownWhileSubscribingToTheFetchEndsThatPollAsAnInternalError() {
        run(fetcher(call -> call == 2 ? Mono.fromSupplier(() -> {
            throw new StackOverflowError();
        }) : body(CSV, "\"g-" + call + "\"")), Schedulers.immediate());

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.INTERNAL_ERROR);
        assertThat(tracker.status().lastError()).isEqualTo("internal error while fetching: java.lang.StackOverflowError");

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-3\"");
    }

    /** A store whose builder throws the given error on its second snapshot, then works again. */
    private SnapshotStore storeFailingOnce(Error error) {
        AtomicInteger builds = new AtomicInteger();
        return new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))) {
            @Override
            public Snapshot publish(Table table, Instant sampledAt, Instant collectedAt, @Nullable String etag) {
                if (builds.incrementAndGet() == 2) {
                    throw error;
                }
                return super.publish(table, sampledAt, collectedAt, etag);
            }
        };
    }

    @Test
    void outOfMemoryErrorWhileBuildingTheSnapshotOnTheWorkerEndsThatPollAndTheNextSnapshotIsPublished() {
        // the worker is a real thread: where Reactor re-throws a JVM-fatal error instead of signalling it
        Scheduler worker = Schedulers.newSingle("poll-worker-test");
        try {
            store = storeFailingOnce(new OutOfMemoryError("Java heap space"));
            run(fetcher(call -> body(CSV, "\"g-" + call + "\"")), worker);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.current() != null);

            time.advanceTimeBy(Duration.ofSeconds(2)); // poll 2: the builder throws
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tracker.status().lastOutcome() == PollOutcome.INTERNAL_ERROR);
            assertThat(store.current().sequence()).isEqualTo(1);
            assertThat(tracker.status().consecutiveFailures()).isEqualTo(1);
            assertThat(tracker.status().lastError()).isEqualTo("internal error while parsing, building or publishing"
                    + " the snapshot: java.lang.OutOfMemoryError: Java heap space");
            assertThat(polls("internal_error")).isEqualTo(1);

            time.advanceTimeBy(Duration.ofSeconds(2)); // poll 3: the next tick polls again, and it works
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> tracker.status().lastOutcome() == PollOutcome.SUCCESS);
            assertThat(store.current().generatorEtag()).isEqualTo("\"g-3\"");
            assertThat(tracker.status().consecutiveFailures()).isZero();
            assertThat(etagsSent).hasSize(3);
        } finally {
            worker.dispose();
        }
    }

    @Test
    void errorThrownByASubscriberOfThePublishedSnapshotsEndsThatPollAndTheScheduleGoesOn() {
        AtomicInteger seen = new AtomicInteger();
        store.published().subscribe(snapshot -> {
            if (seen.incrementAndGet() == 2) {
                throw new StackOverflowError();
            }
        }, error -> { });
        run(fetcher(call -> body(CSV, "\"g-" + call + "\"")), Schedulers.immediate());

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.INTERNAL_ERROR);
        assertThat(tracker.status().lastError()).contains("java.lang.StackOverflowError");

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-3\"");
        assertThat(seen.get()).isEqualTo(3);
    }

    @Test
    void internalErrorIsLoggedOnceAtWarnWithItsCauseAndRepeatsAreQuiet(CapturedOutput output) {
        AtomicInteger calls = new AtomicInteger();
        source = new GeneratorProperties("127.0.0.1", 9876, null);
        run(etag -> {
            int call = calls.incrementAndGet();
            if (call == 2 || call == 3) {
                throw new OutOfMemoryError("Direct buffer memory");
            }
            return body(CSV, "\"g-" + call + "\"");
        }, Schedulers.immediate());
        time.advanceTimeBy(Duration.ofSeconds(6));
        assertThat(calls.get()).isEqualTo(4);

        // the console appender is asynchronous: wait for the recovery line to be written
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains(
                "Polling http://127.0.0.1:9876/counters recovered"));
        List<String> warnings = output.getAll().lines()
                .filter(line -> line.contains("WARN") && line.contains("127.0.0.1:9876")).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("failed (internal_error): internal error while calling the fetcher:"
                + " java.lang.OutOfMemoryError: Direct buffer memory");
        // its stack trace, the cause's included, follows the line
        assertThat(output.getAll()).contains("Caused by: java.lang.OutOfMemoryError: Direct buffer memory");
    }

    @Test
    void snapshotRecordsTheGeneratorsSamplingInstantAndTheCollectionInstant() {
        run(fetcher(call -> body(CSV, "\"g-1\"")), Schedulers.immediate());
        Snapshot snapshot = store.current();
        assertThat(snapshot.sampledAt()).isEqualTo(java.time.Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(snapshot.collectedAt()).isEqualTo(java.time.Instant.EPOCH);
    }

    @Test
    void missingOrUnparseableSampledAtFallsBackToTheCollectionInstant() {
        run(fetcher(call -> Mono.just(new FetchResult.Fetched(CSV.getBytes(StandardCharsets.UTF_8), null,
                "yesterday"))), Schedulers.immediate());
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(store.current().sampledAt()).isEqualTo(store.current().collectedAt());
    }
}
