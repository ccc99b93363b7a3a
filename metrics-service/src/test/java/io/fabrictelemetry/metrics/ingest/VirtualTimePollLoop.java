package io.fabrictelemetry.metrics.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The real poll loop for tests of other packages (the loop and its fetcher seam are package-private):
 * ticks and timeouts on the given timer, parsing and building on the given worker, over a fetcher
 * that answers each poll with a fresh CSV body or, when told to, with a refused connection.
 */
public final class VirtualTimePollLoop {

    private static final String CSV = "switch_id,latency_us\r\nsw-0001,1.5\r\n";

    private VirtualTimePollLoop() {
    }

    /** Starts the schedule; disposing the answer stops it, as shutdown does. */
    public static Disposable start(IngestionTracker tracker, SnapshotStore store, PollProperties poll,
            Scheduler timer, Scheduler work, boolean generatorDown) {
        AtomicInteger calls = new AtomicInteger();
        CountersFetcher fetcher = etag -> generatorDown
                ? Mono.error(new java.net.ConnectException("Connection refused"))
                : Mono.just(new FetchResult.Fetched(CSV.getBytes(StandardCharsets.UTF_8),
                        "\"g-" + calls.incrementAndGet() + "\"", null));
        GeneratorProperties generator = new GeneratorProperties("127.0.0.1", 9001, null);
        PollLoop loop = new PollLoop(fetcher, store, tracker, poll, generator,
                new IngestMetrics(new SimpleMeterRegistry(), tracker, store, Clock.systemUTC()));
        return loop.polls(timer, work).subscribe();
    }
}
