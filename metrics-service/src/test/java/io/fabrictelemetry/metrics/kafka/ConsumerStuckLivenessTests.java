package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.history.HistoryRecorder;
import io.fabrictelemetry.metrics.ingest.ReplayedRecords;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The {@code consumerLiveness} component over a real {@link RecordConsumer} (its own thread, the shared
 * broker): stuck in its wait for history to take a record's snapshot while the clock passes
 * {@link ConsumerLivenessHealthIndicator#LIMIT}, it is DOWN; let go, it is UP again. Only the consumer's
 * own thread can show it is alive: nothing else stamps its progress while it is stuck.
 */
class ConsumerStuckLivenessTests {

    static final String SOURCE = "127.0.0.1:9001/counters";
    static final String CSV = "switch_id,latency_us\r\nsw-1,1.5\r\n";

    @Test
    void aConsumerStuckInARecordIsDownForLivenessPastTheLimitAndUpOnceItGoesOn() throws Exception {
        String servers = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("stuck");
        try (PayloadAppender appender = new PayloadAppender(servers)) {
            appender.createTopic(topic);
            appender.append(topic, SOURCE, CSV, Instant.now(), "\"g-1\"");
        }
        MovableClock clock = new MovableClock();
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        ConsumerTracker tracker = new ConsumerTracker();
        StuckHistory history = new StuckHistory(store, clock);
        RecordConsumer consumer = new RecordConsumer(servers, topic, Duration.ofMinutes(15),
                ReplayedRecords.step(store), history, tracker, new ConsumerMetrics(new SimpleMeterRegistry(), tracker,
                        clock), clock);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("consumerTracker", tracker);
        ConsumerLivenessHealthIndicator liveness = new ConsumerLivenessHealthIndicator(
                beans.getBeanProvider(ConsumerTracker.class), clock);

        consumer.start();
        try {
            // the record's snapshot is built; the consumer thread now waits for history, which does not come
            assertThat(history.entered.await(60, TimeUnit.SECONDS)).as("the consumer reached its history wait").isTrue();
            assertThat(store.current().etag()).isEqualTo("\"k-" + topic + "-0-0\"");
            assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);

            clock.advance(ConsumerLivenessHealthIndicator.LIMIT.plusSeconds(1));
            assertThat(liveness.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(liveness.health().getDetails().get("reason")).asString().contains("stuck");

            history.release.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> liveness.health().getStatus().equals(Status.UP));
            assertThat(tracker.status().position()).isEqualTo(1);
        } finally {
            history.release.countDown();
            consumer.stop();
        }
    }

    /** History that never takes a snapshot until released: the consumer's wait for it blocks. */
    static final class StuckHistory extends HistoryRecorder {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        StuckHistory(SnapshotStore store, Clock clock) {
            super(store, new HistoryProperties(Duration.ofMinutes(15), DataSize.ofMegabytes(64)),
                    new SimpleMeterRegistry(), clock);
        }

        @Override
        public boolean awaitAppended(long sequence, Duration timeout) throws InterruptedException {
            entered.countDown();
            // bounded all the same, so that a failing test never leaves the thread behind for good
            return release.await(5, TimeUnit.MINUTES);
        }
    }

    /** The system clock, moved forward by the test. */
    static final class MovableClock extends Clock {

        private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

        void advance(Duration by) {
            ahead.updateAndGet(current -> current.plus(by));
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
