package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The recorder's hand-off: the publishing thread never waits, and at most one snapshot waits for
 * the history thread; a newer one replaces it and the replaced one is counted as skipped.
 */
class HistoryRecorderTests {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch appending = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean first = new AtomicBoolean(true);
    /** The history thread reads the clock inside each append: the first read holds that append until released. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            if (first.getAndSet(false)) {
                appending.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return T0.plusSeconds(10);
        }
    };
    private final HistoryRecorder recorder = new HistoryRecorder(store,
            new HistoryProperties(Duration.ofMinutes(15), DataSize.ofMegabytes(8)), registry, clock);

    @AfterEach
    void stop() {
        release.countDown();
        recorder.stop();
    }

    private void publish(long value) {
        store.publish(Table.of(List.of("latency_us"), List.of("sw-0001"), new long[] {value},
                new byte[] {CellKind.INTEGER}, 0, 0), T0.plusSeconds(value), T0.plusSeconds(value), null);
    }

    private double skipped() {
        return registry.get("fabric.history.skipped").counter().count();
    }

    @Test
    void whileAnAppendRunsAtMostOneSnapshotWaitsAndEachOneItReplacesIsCountedAsSkipped() throws Exception {
        recorder.start();
        publish(1);
        assertThat(appending.await(10, TimeUnit.SECONDS)).isTrue(); // snapshot 1 is being appended, held

        publish(2); // waits
        publish(3); // replaces 2
        publish(4); // replaces 3
        // the publishing thread got here without waiting for the held append
        assertThat(skipped()).isEqualTo(2);
        assertThat(recorder.history().frames()).isZero();

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.history().frames() == 2);
        assertThat(recorder.query("sw-0001", "latency_us", 0)).extracting(Point::sequence).containsExactly(1L, 4L);
        assertThat(skipped()).isEqualTo(2);
        // the hand-off goes on once the history thread is free
        publish(5);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.history().frames() == 3);
        assertThat(recorder.query("sw-0001", "latency_us", 0)).extracting(Point::sequence).containsExactly(1L, 4L, 5L);
        assertThat(skipped()).isEqualTo(2);
    }

    @Test
    void aWriterThatAwaitsEachAppendBeforePublishingTheNextLosesNoSnapshot() throws Exception {
        recorder.start();
        publish(1);
        assertThat(appending.await(10, TimeUnit.SECONDS)).isTrue(); // snapshot 1 is being appended, held
        assertThat(recorder.awaitAppended(1, Duration.ofMillis(50))).isFalse();

        release.countDown();
        assertThat(recorder.awaitAppended(1, Duration.ofSeconds(10))).isTrue();
        assertThat(recorder.history().frames()).isEqualTo(1);
        for (long value = 2; value <= 5; value++) {
            publish(value);
            assertThat(recorder.awaitAppended(store.current().sequence(), Duration.ofSeconds(10))).isTrue();
        }
        assertThat(recorder.query("sw-0001", "latency_us", 0)).extracting(Point::sequence)
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(skipped()).isZero();
    }
}
