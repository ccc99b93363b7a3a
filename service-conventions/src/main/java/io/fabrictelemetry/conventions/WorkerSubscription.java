package io.fabrictelemetry.conventions;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A component's own worker thread and the subscription that keeps it busy, started and stopped with
 * the component's lifecycle (a poll loop, a history recorder): {@link #stop} cancels the subscription,
 * and the work in flight with it, then ends the thread; the component runs while the subscription
 * stands.
 */
public final class WorkerSubscription {

    private final String threadName;
    private volatile @Nullable Scheduler worker;
    private @Nullable Disposable subscription;

    /** @param threadName the worker thread's name (a daemon thread) */
    public WorkerSubscription(String threadName) {
        this.threadName = threadName;
    }

    /**
     * Starts the worker thread, then the subscription {@code subscribe} makes with it; {@code false},
     * and nothing started, when running already.
     */
    public synchronized boolean start(Function<Scheduler, Disposable> subscribe) {
        if (subscription != null) {
            return false;
        }
        Scheduler started = Schedulers.newSingle(threadName, true);
        worker = started;
        subscription = subscribe.apply(started);
        return true;
    }

    /** The worker thread while running; {@code null} before {@link #start} and after {@link #stop}. */
    public @Nullable Scheduler worker() {
        return worker;
    }

    /** Cancels the subscription (and the work in flight), then ends the worker thread. */
    public synchronized void stop() {
        if (subscription != null) {
            subscription.dispose();
            subscription = null;
        }
        Scheduler stopped = worker;
        if (stopped != null) {
            stopped.dispose();
            worker = null;
        }
    }

    public synchronized boolean isRunning() {
        return subscription != null;
    }
}
