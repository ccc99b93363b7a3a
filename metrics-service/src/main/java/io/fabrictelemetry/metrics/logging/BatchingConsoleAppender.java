package io.fabrictelemetry.metrics.logging;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;

/**
 * An asynchronous console appender for a high-rate logger (the access log): the logging thread
 * encodes its line and copies the bytes into a shared buffer, never waiting for I/O and never waking
 * anyone; a worker thread wakes every {@code flushIntervalMillis}, takes the buffer (swapping in an
 * empty one) and writes it to standard output in one call.
 *
 * <p>Why not Logback's {@code AsyncAppender} in front of a {@code ConsoleAppender}, which the rest of
 * the service's logging uses: its worker appends one event at a time, and the console flushes every
 * line ({@code System.out} flushes on each write), so every request cost a write system call, and a
 * wake-up of the worker whenever it had caught up. Measured on GetMetric (1,000 switches, wrk 2×64 on
 * loopback, 2 cores): the access log took 7.5 µs of the service's 34.8 µs of CPU per request, 22 %
 * of its throughput (docs/BENCHMARKS.md). Logback has no batching console appender.
 *
 * <p>Why lines are encoded on the logging thread rather than queued as events for the worker to
 * encode: a queued event (the event, its message, its timestamp) lived until the next flush, so
 * every young collection found the last 50 ms of them alive and copied them — at 50,000 requests
 * per second, most of what survived a collection. Encoded at once, the event and everything the
 * encoder makes die young; what waits for the flush is bytes in two buffers that are reused, not
 * reallocated. Encoding takes the same CPU on either thread. Events are still prepared for deferred
 * processing (thread name, MDC captured) before encoding, as any asynchronous appender does.
 *
 * <p>Lines appear within the flush interval (50 ms by default), in the order they were appended.
 * When {@code queueSize} lines (16,384 by default: a third of a second at 50,000 requests per
 * second) are waiting, further lines are dropped, never waited for, and counted; the count is
 * written as a WARN line of its own, in the appender's encoding, at the next flush. The lock around
 * the buffer is held only to copy one line in or to swap the buffers. Writes go through
 * {@code System.out}, whose lock also serializes the other console appender's writes, so lines of the
 * two never interleave. {@link #stop()} writes what is waiting.
 */
public class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private @Nullable Encoder<ILoggingEvent> encoder;
    private int queueSize = 16_384;
    private long flushIntervalMillis = 50;
    private final ReentrantLock lock = new ReentrantLock();
    /** Encoded lines waiting for the next flush; guarded by {@link #lock}. */
    private Buffer pending = new Buffer();
    /** How many lines {@link #pending} holds; guarded by {@link #lock}. */
    private int pendingLines;
    /** Lines refused since the last flush because {@code queueSize} were waiting; guarded by {@link #lock}. */
    private long dropped;
    private @Nullable Thread worker;
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
        running = true;
        Thread thread = new Thread(this::work, "log-batcher-" + name);
        thread.setDaemon(true);
        worker = thread;
        super.start();
        thread.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        Encoder<ILoggingEvent> lines = encoder;
        if (lines == null) {
            return;
        }
        event.prepareForDeferredProcessing();
        byte[] line;
        try {
            line = lines.encode(event);
        } catch (RuntimeException e) {
            addError("could not encode a log event", e);
            return;
        }
        lock.lock();
        try {
            if (pendingLines >= queueSize) {
                dropped++;
            } else {
                pending.write(line);
                pendingLines++;
            }
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        Buffer spare = new Buffer();
        while (running) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushIntervalMillis));
            spare = flush(spare);
        }
        flush(spare);
    }

    /**
     * Swaps {@code empty} in for the lines waiting, writes them (and a notice of any dropped) in one
     * call, and returns the written buffer, emptied, to be swapped in next time.
     */
    private Buffer flush(Buffer empty) {
        Buffer full;
        long lost;
        lock.lock();
        try {
            full = pending;
            pending = empty;
            pendingLines = 0;
            lost = dropped;
            dropped = 0;
        } finally {
            lock.unlock();
        }
        Encoder<ILoggingEvent> lines = encoder;
        if (lost > 0 && lines != null) {
            full.write(lines.encode(droppedNotice(lost)));
        }
        if (full.size() > 0) {
            PrintStream out = System.out; // read each time: tests and tools may replace it
            out.write(full.buffer(), 0, full.size());
            out.flush();
        }
        full.reset();
        return full;
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

    /**
     * Bytes waiting to be written, in an array that grows as needed and is kept (up to {@link #KEPT}),
     * so that a buffer reaches its working size once. Not {@code ByteArrayOutputStream}: its methods take a monitor,
     * and each buffer is already guarded by the appender's lock or owned by the worker.
     */
    private static final class Buffer {

        private static final int INITIAL = 64 * 1024;
        /**
         * The most a buffer keeps between flushes: 50 ms of access-log lines at 50,000 requests per
         * second is about 400 KB. A buffer that grew beyond it (a burst, lines of long queries, a
         * writer held up) goes back to its initial size once written, rather than holding up to
         * {@code queueSize} long lines for the life of the process.
         */
        private static final int KEPT = 1024 * 1024;

        private byte[] bytes = new byte[INITIAL];
        private int size;

        void write(byte[] data) {
            if (data.length > bytes.length - size) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + data.length));
            }
            System.arraycopy(data, 0, bytes, size, data.length);
            size += data.length;
        }

        byte[] buffer() {
            return bytes;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
            if (bytes.length > KEPT) {
                bytes = new byte[INITIAL];
            }
        }
    }
}
