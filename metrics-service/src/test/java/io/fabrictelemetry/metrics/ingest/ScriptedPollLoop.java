package io.fabrictelemetry.metrics.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The real poll loop, one poll at a time, over a scripted source, handing accepted payloads to the
 * given {@link PayloadSink}: for tests of other packages (the loop and its fetcher seam are
 * package-private). Each call answers the next poll as a source would, runs it to completion on the
 * calling thread and returns its outcome.
 */
public final class ScriptedPollLoop {

    /** What the loop polls: also the default {@code SOURCE_NAME} ("127.0.0.1:9001/counters"). */
    public static final GeneratorProperties SOURCE = new GeneratorProperties("127.0.0.1", 9001, null);

    private final PollLoop loop;
    private final IngestionTracker tracker = new IngestionTracker();
    private final List<@Nullable String> etagsSent = new ArrayList<>();
    private Mono<FetchResult> next = Mono.empty();

    public ScriptedPollLoop(SnapshotStore store, PayloadSink sink, MeterRegistry registry) {
        CountersFetcher fetcher = etag -> {
            etagsSent.add(etag);
            return next;
        };
        PollProperties poll = new PollProperties(Duration.ofHours(1), Duration.ofSeconds(30), DataSize.ofMegabytes(1));
        this.loop = new PollLoop(fetcher, store, tracker, poll, SOURCE,
                new IngestMetrics(registry, tracker, store, Clock.systemUTC()), sink);
    }

    /** A poll answered {@code 200} with {@code body} and these headers (each {@code null} when not sent). */
    public PollOutcome answer(String body, @Nullable String etag, @Nullable String sampledAt,
            @Nullable String contentType) {
        next = Mono.just(new FetchResult.Fetched(body.getBytes(StandardCharsets.UTF_8), etag, sampledAt, contentType));
        return poll();
    }

    /** A poll answered {@code 304}. */
    public PollOutcome notModified() {
        next = Mono.just(new FetchResult.NotModified());
        return poll();
    }

    private PollOutcome poll() {
        return loop.pollOnce(Schedulers.parallel(), Schedulers.immediate()).block(Duration.ofMinutes(1));
    }

    /** The {@code If-None-Match} of each poll so far ({@code null}: none sent). */
    public List<@Nullable String> etagsSent() {
        return etagsSent;
    }

    public IngestionStatus status() {
        return tracker.status();
    }
}
