package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Rates across polls: a {@code 304} accepts nothing, so the next payload's rate is against the last
 * accepted one; a restarted generator (new ETag, counters from zero) is a reset.
 */
class CounterRatesPollTests {

    private static final PollProperties POLL = new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
            DataSize.ofMegabytes(1));

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final IngestionTracker tracker = new IngestionTracker();
    private Disposable running = () -> { };

    @AfterEach
    void stop() {
        running.dispose();
    }

    private static Mono<FetchResult> payload(String etag, String sampledAt, long packetErrors, long rxBytes) {
        String csv = "switch_id,latency_us,packet_errors,rx_bytes\r\nsw-0001,1.5," + packetErrors + "," + rxBytes + "\r\n";
        return Mono.just(new FetchResult.Fetched(csv.getBytes(StandardCharsets.UTF_8), etag, sampledAt));
    }

    private static Object rate(Snapshot snapshot, String metric) {
        double value = snapshot.numericValue(0, snapshot.metricColumn(metric));
        return Double.isNaN(value) ? "none" : value;
    }

    @Test
    void notModifiedInBetweenKeepsTheLastAcceptedValuesAndARestartIsAReset() {
        List<Mono<FetchResult>> answers = List.of(
                payload("\"g-1\"", "2026-11-28T10:00:00.000Z", 100, 5_000),
                Mono.just(new FetchResult.NotModified()),
                payload("\"g-2\"", "2026-11-28T10:00:04.000Z", 120, 9_000),
                // the generator restarted: a new boot in its ETag, counters from zero
                payload("\"r-1\"", "2026-11-28T10:00:06.000Z", 3, 1_000));
        AtomicInteger call = new AtomicInteger();
        CountersFetcher fetcher = etag -> Mono.defer(() -> answers.get(Math.min(call.getAndIncrement(), answers.size() - 1)));
        PollLoop loop = new PollLoop(fetcher, store, tracker, POLL, new GeneratorProperties("127.0.0.1", 9001, null),
                new IngestMetrics(new SimpleMeterRegistry(), tracker, store, Clock.systemUTC()));
        running = loop.polls(time, Schedulers.immediate()).subscribe();

        Snapshot first = store.current();
        assertThat(first.metrics()).containsExactly("latency_us", "packet_errors", "rx_bytes",
                "packet_errors_per_second", "rx_bytes_per_second");
        assertThat(rate(first, "packet_errors_per_second")).isEqualTo("none");

        time.advanceTimeBy(Duration.ofSeconds(2)); // 304
        assertThat(store.current()).isSameAs(first);

        time.advanceTimeBy(Duration.ofSeconds(2)); // g-2, 4 s after g-1
        Snapshot second = store.current();
        assertThat(rate(second, "packet_errors_per_second")).isEqualTo(5.0);
        assertThat(rate(second, "rx_bytes_per_second")).isEqualTo(1000.0);

        time.advanceTimeBy(Duration.ofSeconds(2)); // restarted generator, 2 s later
        Snapshot restarted = store.current();
        assertThat(restarted.sequence()).isEqualTo(3);
        assertThat(rate(restarted, "packet_errors_per_second")).isEqualTo(1.5);
        assertThat(rate(restarted, "rx_bytes_per_second")).isEqualTo(500.0);
    }
}
