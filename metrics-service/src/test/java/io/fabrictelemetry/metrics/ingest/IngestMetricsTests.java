package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The ingestion metrics after a scripted sequence of polls: success, 304, timeout, parse error. */
class IngestMetricsTests {

    private static final String CSV = "switch_id,a,b\r\nsw-1,1,2\r\nsw-2,x,3\r\nsw-3,1\r\n\"sw,4\",1,2\r\n"
            + "s".repeat(QueryParameters.MAX_PARAMETER_LENGTH + 1) + ",1,2\r\n";

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final IngestionTracker tracker = new IngestionTracker();
    private Disposable running = () -> { };

    @AfterEach
    void stop() {
        running.dispose();
    }

    private double polls(String outcome) {
        return registry.get("fabric.ingest.polls").tag("outcome", outcome).counter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void everyPollIsCountedByOutcomeTimedAndReflectedInTheGauges() {
        // the wall clock the age gauges read: 10 s after the sampling instant of the payload
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:10Z"), ZoneOffset.UTC);
        IngestMetrics metrics = new IngestMetrics(registry, tracker, store, clock);
        AtomicInteger call = new AtomicInteger();
        CountersFetcher script = etag -> switch (call.incrementAndGet()) {
            case 1 -> Mono.just(new FetchResult.Fetched(CSV.getBytes(StandardCharsets.UTF_8), "\"g-1\"",
                    "2026-11-28T10:00:00Z"));
            case 2 -> Mono.just(new FetchResult.NotModified());
            case 3 -> Mono.never();
            default -> Mono.just(new FetchResult.Fetched("<html/>".getBytes(StandardCharsets.UTF_8), null, null));
        };
        PollProperties poll = new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500), DataSize.ofMegabytes(1));
        running = new PollLoop(script, store, tracker, poll, new GeneratorProperties("127.0.0.1", 9001, null), metrics)
                .polls(time, Schedulers.immediate()).subscribe();

        assertThat(polls("success")).isEqualTo(1);
        assertThat(gauge("fabric.ingest.up")).isEqualTo(1);
        assertThat(gauge("fabric.snapshot.switches")).isEqualTo(2);
        assertThat(gauge("fabric.snapshot.metrics")).isEqualTo(2);
        assertThat(gauge("fabric.snapshot.data.age")).isEqualTo(10.0);
        assertThat(registry.get("fabric.ingest.rejected.rows").counter().count()).isEqualTo(3);
        assertThat(registry.get("fabric.ingest.rejected.unaddressable.rows").counter().count()).isEqualTo(2);
        assertThat(registry.get("fabric.ingest.rejected.values").counter().count()).isEqualTo(1);
        assertThat(registry.get("fabric.ingest.payload").summary().totalAmount()).isEqualTo(CSV.length());

        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(polls("not_modified")).isEqualTo(1);
        assertThat(gauge("fabric.ingest.up")).isEqualTo(1);

        time.advanceTimeBy(Duration.ofMillis(3500)); // the poll started at 4 s times out at 5.5 s
        assertThat(polls("timeout")).isEqualTo(1);
        assertThat(gauge("fabric.ingest.up")).isZero();
        assertThat(gauge("fabric.ingest.consecutive.failures")).isEqualTo(1);

        time.advanceTimeBy(Duration.ofMillis(500));
        assertThat(polls("parse_error")).isEqualTo(1);
        assertThat(gauge("fabric.ingest.consecutive.failures")).isEqualTo(2);
        assertThat(gauge("fabric.snapshot.sequence")).isEqualTo(1);
        assertThat(registry.get("fabric.ingest.payload").summary().count()).isEqualTo(2);

        for (String outcome : new String[] {"connect_error", "io_error", "http_error", "too_large", "internal_error"}) {
            assertThat(polls(outcome)).as(outcome).isZero();
        }
        var timer = registry.get("fabric.ingest.poll.duration").timer();
        assertThat(timer.count()).isEqualTo(4);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(1500);
        // last success at virtual 2 s (the 304); the clock reads wall time 10:00:10
        assertThat(gauge("fabric.ingest.last.success.age"))
                .isEqualTo((clock.millis() - 2_000) / 1000.0);
    }

    @Test
    void agesAreNotANumberBeforeAnyData() {
        new IngestMetrics(registry, tracker, store, Clock.systemUTC());
        assertThat(gauge("fabric.snapshot.data.age")).isNaN();
        assertThat(gauge("fabric.ingest.last.success.age")).isNaN();
        assertThat(gauge("fabric.ingest.up")).isZero();
        assertThat(gauge("fabric.snapshot.switches")).isZero();
    }
}
