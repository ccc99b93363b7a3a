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
    private static Mono<FetchResult> csv(String etag, String sampledAt, String... rows) {
        String csv = "switch_id,latency_us,packet_errors,rx_bytes\r\n" + String.join("\r\n", rows) + "\r\n";
        return Mono.just(new FetchResult.Fetched(csv.getBytes(StandardCharsets.UTF_8), etag, sampledAt));
    }

    /**
     * The generator's corrupt fault: generation 2 is served damaged under its own ETag, then intact
     * (a new payload with the same {@code X-Sampled-At}). The intact one changes no rate; sw-0002,
     * whose row was damaged, gets its rate from the values it was carried over with.
     */
    @Test
    void sameGenerationFetchedAgainAfterACorruptBodyKeepsEveryRate() {
        List<Mono<FetchResult>> answers = List.of(
                csv("\"b-1\"", "2026-11-28T10:00:00.000Z", "sw-0001,1.5,100,5000", "sw-0002,1.5,10,70"),
                csv("\"b-2-corrupt\"", "2026-11-28T10:00:02.000Z", "sw-0001,1.5,120,9000", "sw-0002,1.5,30"),
                csv("\"b-2\"", "2026-11-28T10:00:02.000Z", "sw-0001,1.5,120,9000", "sw-0002,1.5,30,70"),
                csv("\"b-3\"", "2026-11-28T10:00:04.000Z", "sw-0001,1.5,130,9000", "sw-0002,1.5,34,90"));
        AtomicInteger call = new AtomicInteger();
        CountersFetcher fetcher = etag -> Mono.defer(() -> answers.get(Math.min(call.getAndIncrement(), answers.size() - 1)));
        PollLoop loop = new PollLoop(fetcher, store, tracker, POLL, new GeneratorProperties("127.0.0.1", 9001, null),
                new IngestMetrics(new SimpleMeterRegistry(), tracker, store, Clock.systemUTC()));
        running = loop.polls(time, Schedulers.immediate()).subscribe();

        time.advanceTimeBy(Duration.ofSeconds(2)); // b-2, damaged
        Snapshot damaged = store.current();
        assertThat(damaged.carriedOver()).containsOnlyKeys("sw-0002");
        assertThat(rate(damaged, 0, "packet_errors_per_second")).isEqualTo(10.0);
        assertThat(rate(damaged, 0, "rx_bytes_per_second")).isEqualTo(2000.0);

        time.advanceTimeBy(Duration.ofSeconds(2)); // b-2 again, intact
        Snapshot intact = store.current();
        assertThat(intact.sequence()).isEqualTo(damaged.sequence() + 1);
        assertThat(intact.sampledAt()).isEqualTo(damaged.sampledAt());
        assertThat(intact.carriedOver()).isEmpty();
        assertThat(rate(intact, 0, "packet_errors_per_second")).isEqualTo(10.0);
        assertThat(rate(intact, 0, "rx_bytes_per_second")).isEqualTo(2000.0);
        assertThat(rate(intact, 1, "packet_errors_per_second")).isEqualTo(10.0);
        assertThat(rate(intact, 1, "rx_bytes_per_second")).isEqualTo(0.0);

        time.advanceTimeBy(Duration.ofSeconds(2)); // b-3: counted from the intact values
        Snapshot next = store.current();
        assertThat(rate(next, 0, "packet_errors_per_second")).isEqualTo(5.0);
        assertThat(rate(next, 1, "packet_errors_per_second")).isEqualTo(2.0);
        assertThat(rate(next, 1, "rx_bytes_per_second")).isEqualTo(10.0);
    }

    private static Object rate(Snapshot snapshot, int row, String metric) {
        double value = snapshot.numericValue(row, snapshot.metricColumn(metric));
        return Double.isNaN(value) ? "none" : value;
    }
}
