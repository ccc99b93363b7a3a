package io.fabrictelemetry.metrics.logging;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

/**
 * An asynchronous console appender for a high-rate logger (the access log): the logging thread only
 * prepares the event and offers it to a bounded queue, never waiting and never waking anyone; a
 * worker thread wakes every {@code flushIntervalMillis}, encodes what has queued up and writes it to
 * standard output in one call.
 *
 * <p>Why not Logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}, which the rest of
 * the service's logging uses: its worker appends one event at a time, and the console flushes every
 * line ({@code System.out} flushes on each write), so every request cost a write system call, and a
 * wake-up of the worker whenever it had caught up. Measured on GetMetric (1,000 switches, wrk 2×64 on
 * loopback, 2 cores): the access log took 7.5 µs of the service's 34.8 µs of CPU per request, 22 %
 * of its throughput (docs/BENCHMARKS.md). Logback has no batching console appender.
 *
 * <p>Lines appear within the flush interval (50 ms by default). When the queue is full (16,384 lines
 * by default: a third of a second at 50,000 requests per second) lines are dropped, never waited for,
 * and counted; the count is written as a WARN line of its own, in the appender's encoding, at the
 * next flush. Writes go through
 * {@code System.out}, whose lock also serializes the other console appender's writes, so lines of the
 * two never interleave. {@link #stop()} writes what is queued.
 */
public class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private @Nullable Encoder<ILoggingEvent> encoder;
    private int queueSize = 16_384;
    private long flushIntervalMillis = 50;
    private @Nullable BlockingQueue<ILoggingEvent> queue;
    private @Nullable Thread worker;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setFlushIntervalMillis(long flushIntervalMillis) {
        this.flushIntervalMillis = flushIntervalMillis;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("No encoder set for the appender named [" + name + "].");
            return;
        }
        if (queueSize < 1 || flushIntervalMillis < 1) {
            addError("queueSize and flushIntervalMillis must be at least 1, but were " + queueSize + " and "
                    + flushIntervalMillis);
            return;
        }
        queue = new ArrayBlockingQueue<>(queueSize);
        running = true;
        Thread thread = new Thread(this::work, "log-batcher-" + name);
        thread.setDaemon(true);
        worker = thread;
        super.start();
        thread.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        BlockingQueue<ILoggingEvent> events = queue;
        if (events == null) {
            return;
        }
        event.prepareForDeferredProcessing();
        if (!events.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    private void work() {
        List<ILoggingEvent> batch = new ArrayList<>();
        Buffer bytes = new Buffer();
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis));
            drain(batch, bytes);
        }
        drain(batch, bytes);
    }

    /** Encodes what is queued and writes it in one call. */
    private void drain(List<ILoggingEvent> batch, Buffer bytes) {
        BlockingQueue<ILoggingEvent> events = queue;
        Encoder<ILoggingEvent> lines = encoder;
        if (events == null || lines == null) {
            return;
        }
        do {
            batch.clear();
            events.drainTo(batch, 4_096);
            bytes.reset();
            for (ILoggingEvent event : batch) {
                try {
                    bytes.writeBytes(lines.encode(event));
                } catch (RuntimeException e) {
                    addError("could not encode a log event", e);
                }
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                bytes.writeBytes(lines.encode(droppedNotice(lost)));
            }
            if (bytes.size() > 0) {
                PrintStream out = System.out; // read each time: tests and tools may replace it
                out.write(bytes.buffer(), 0, bytes.size());
                out.flush();
            }
        } while (batch.size() == 4_096);
    }

    /** A WARN line, in the appender's own encoding (a JSON line under json-logs), saying what was lost. */
    private ILoggingEvent droppedNotice(long lost) {
        Logger logger = ((LoggerContext) context).getLogger(BatchingConsoleAppender.class);
        LoggingEvent notice = new LoggingEvent(Logger.FQCN, logger, Level.WARN, "{}: {} lines dropped, the queue of {} was full",
                null, new Object[] {name, lost, queueSize});
        notice.prepareForDeferredProcessing();
        return notice;
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop(); // appends from now on are refused: the worker's last drain is the last word
        running = false;
        Thread thread = worker;
        if (thread != null) {
            LockSupport.unpark(thread);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Encoder<ILoggingEvent> lines = encoder;
        if (lines != null) {
            lines.stop();
        }
    }

    /** A byte array output stream whose array can be written out without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {

        Buffer() {
            super(64 * 1024);
        }

        byte[] buffer() {
            return buf;
        }
    }
}
