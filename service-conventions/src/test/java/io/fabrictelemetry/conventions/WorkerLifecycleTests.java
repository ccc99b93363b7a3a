package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

class WorkerLifecycleTests {

    static final class Recorder extends WorkerLifecycle {

        final List<Scheduler> subscribedOn = new ArrayList<>();
        final List<Disposable> subscriptions = new ArrayList<>();
        int started;

        Recorder() {
            super("worker-test");
        }

        @Override
        protected Disposable subscribe(Scheduler worker) {
            subscribedOn.add(worker);
            Disposable subscription = Disposables.single();
            subscriptions.add(subscription);
            return subscription;
        }

        @Override
        protected void started() {
            started++;
        }
    }

    @Test
    void startsOnceOnItsOwnThreadAndStopDisposesTheSubscriptionAndTheThread() {
        Recorder component = new Recorder();
        assertThat(component.isRunning()).isFalse();
        assertThat(component.worker()).isNull();

        component.start();
        component.start(); // while running: nothing more
        assertThat(component.isRunning()).isTrue();
        assertThat(component.subscribedOn).hasSize(1);
        assertThat(component.worker()).isSameAs(component.subscribedOn.get(0));
        assertThat(component.started).isEqualTo(1);

        component.stop();
        assertThat(component.subscriptions.get(0).isDisposed()).isTrue();
        assertThat(component.subscribedOn.get(0).isDisposed()).isTrue();
        assertThat(component.isRunning()).isFalse();
        assertThat(component.worker()).isNull();
        component.stop(); // twice is harmless

        component.start(); // a stopped component starts again, on a new thread
        assertThat(component.subscribedOn).hasSize(2);
        assertThat(component.worker()).isSameAs(component.subscribedOn.get(1)).isNotSameAs(component.subscribedOn.get(0));
        component.stop();
    }
}
