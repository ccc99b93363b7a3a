package io.fabrictelemetry.conventions;

import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A component with a worker thread of its own and the subscription that keeps it busy (a poll loop, a
 * history recorder), started and stopped with the application context: {@link #stop} cancels the
 * subscription, and the work in flight with it, then ends the thread; the component runs while the
 * subscription stands.
 */
public abstract class WorkerLifecycle implements SmartLifecycle {

    private final String threadName;
    private volatile @Nullable Scheduler worker;
    private @Nullable Disposable subscription;

    /** @param threadName the worker thread's name (a daemon thread) */
    protected WorkerLifecycle(String threadName) {
        this.threadName = threadName;
    }

    /** The subscription that keeps {@code worker} busy, made once per start. */
    protected abstract Disposable subscribe(Scheduler worker);

    /** Called once the subscription stands (to say so in the log); not called by a start while running. */
    protected void started() {
    }

    /** The worker thread while running; {@code null} before {@link #start} and after {@link #stop}. */
    protected final @Nullable Scheduler worker() {
        return worker;
    }

    @Override
    public final void start() {
        synchronized (this) {
            if (subscription != null) {
                return;
            }
            Scheduler started = Schedulers.newSingle(threadName, true);
            worker = started;
            subscription = subscribe(started);
        }
        started();
    }

    /** Cancels the subscription (and the work in flight), then ends the worker thread. */
    @Override
    public final synchronized void stop() {
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

    @Override
    public final synchronized boolean isRunning() {
        return subscription != null;
    }
}
