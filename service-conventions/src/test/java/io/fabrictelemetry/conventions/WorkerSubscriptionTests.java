package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

class WorkerSubscriptionTests {

    @Test
    void startsOnceOnItsOwnThreadAndStopDisposesTheSubscriptionAndTheThread() {
        WorkerSubscription running = new WorkerSubscription("worker-test");
        AtomicInteger subscribed = new AtomicInteger();
        Disposable subscription = Disposables.single();
        Scheduler[] given = new Scheduler[1];
        assertThat(running.isRunning()).isFalse();
        assertThat(running.worker()).isNull();

        assertThat(running.start(worker -> {
            subscribed.incrementAndGet();
            given[0] = worker;
            return subscription;
        })).isTrue();
        assertThat(running.isRunning()).isTrue();
        assertThat(running.worker()).isSameAs(given[0]);
        assertThat(running.start(worker -> {
            subscribed.incrementAndGet();
            return Disposables.single();
        })).as("a second start while running").isFalse();
        assertThat(subscribed).hasValue(1);

        running.stop();
        assertThat(subscription.isDisposed()).isTrue();
        assertThat(given[0].isDisposed()).isTrue();
        assertThat(running.isRunning()).isFalse();
        assertThat(running.worker()).isNull();
        running.stop(); // twice is harmless
    }
}
