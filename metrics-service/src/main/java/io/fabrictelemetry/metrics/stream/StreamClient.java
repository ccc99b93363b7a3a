package io.fabrictelemetry.metrics.stream;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.query.ListMetricsFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One stream client: holds at most one pending snapshot (the latest; one it replaces unsent is
 * counted as dropped) and writes it as an event once the connection takes more. A connection that
 * stays unwritable longer than the write timeout is cut; one idle for the keepalive period gets a
 * comment line; a failure to make its event ends its stream alone. It knows the event data its
 * connection still holds ({@link #pinned()}), which the stream bounds for all clients together. All
 * state changes happen under the client's lock, held for a few field updates and one hand-over to
 * the response: an event's data is made before it is taken, by {@link #offer} on the stream's
 * fan-out thread, so that neither an event loop (a new connection's demand) nor a lock ever waits
 * for an encoding.
 */
final class StreamClient {

    private static final Logger log = LoggerFactory.getLogger(StreamClient.class);
    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
    private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WAITING = ": waiting for the first snapshot\n\n".getBytes(StandardCharsets.US_ASCII);

    /** Why the service ended a client's stream (a tag of {@code fabric.stream.clients.cut}). */
    enum Cut {
        /** its connection took nothing for the write timeout */
        WRITE_TIMEOUT("write_timeout"),
        /** its event could not be made (filtering or encoding threw) */
        ERROR("error"),
        /**
         * it held an older snapshot's event data its connection had not taken, when the stream's
         * clients held more than {@code stream.max-pending-bytes} of such data
         */
        MAX_PENDING_BYTES("max_pending_bytes");

        final String tag;

        Cut(String tag) {
            this.tag = tag;
        }
    }

    private final ListMetricsFilter filter;
    private final StreamOutbound outbound;
    private final LongSupplier clock;
    private final long keepaliveMillis;
    private final long writeTimeoutMillis;
    private final Runnable onDrop;
    private final Consumer<Cut> onCut;

    private @Nullable FluxSink<Publisher<DataBuffer>> sink;
    // the next event to send, made by offer (on the fan-out thread)
    private @Nullable EventBody pending;
    // the data of the last event sent, and this send's buffer over it, until Netty released it: what
    // the connection still holds (counted against stream.max-pending-bytes), and kept so that the next
    // client with the same filter shares the body rather than encoding it again (see StreamEdition).
    // Read without the client's lock (the pending-bytes gauge, on any thread, must never wait for an
    // encoding that holds it).
    private final AtomicReference<@Nullable Sent> sent = new AtomicReference<>();

    private record Sent(EventBody body, ByteBuf buffer) {
    }
    private long lastOffered;
    private long lastWriteAt;
    private long unwritableSince = -1;
    private boolean closed;
    private boolean greet;

    /** @param lastSeen the sequence the client already has (its {@code Last-Event-ID}): only newer ones are sent */
    StreamClient(ListMetricsFilter filter, StreamOutbound outbound, LongSupplier clock, long keepaliveMillis,
            long writeTimeoutMillis, Runnable onDrop, Consumer<Cut> onCut, long lastSeen) {
        this.lastOffered = lastSeen;
        this.filter = filter;
        this.outbound = outbound;
        this.clock = clock;
        this.keepaliveMillis = keepaliveMillis;
        this.writeTimeoutMillis = writeTimeoutMillis;
        this.onDrop = onDrop;
        this.onCut = onCut;
    }

    synchronized void attach(FluxSink<Publisher<DataBuffer>> sink) {
        this.sink = sink;
        this.lastWriteAt = clock.getAsLong();
    }

    /**
     * Before the first snapshot: a comment line at once, so that the response (its headers) starts
     * now rather than at the first snapshot or keepalive.
     */
    synchronized void greetWhileWaiting() {
        greet = true;
        drain();
    }

    /**
     * A snapshot to send: its event data is made here, outside the client's lock (only on the
     * stream's fan-out thread, never on an event loop), then it replaces the pending event (dropped)
     * and is sent if the connection takes it.
     */
    void offer(StreamEdition edition) {
        synchronized (this) {
            if (closed || edition.sequence() <= lastOffered) {
                return;
            }
        }
        EventBody body;
        try {
            body = edition.body(filter);
        } catch (ProblemException gone) {
            // a named switch or metric is not in this snapshot: nothing to send for it
            log.debug("Snapshot {} skipped for a stream client: {}", edition.sequence(), gone.getMessage());
            body = null;
        }
        synchronized (this) {
            if (closed || edition.sequence() <= lastOffered) {
                return;
            }
            lastOffered = edition.sequence();
            if (pending != null) {
                onDrop.run();
            }
            pending = body;
            drain();
        }
    }

    /** The periodic check: the write timeout, a pending event the connection now takes, the keepalive. */
    synchronized void tick() {
        if (closed) {
            return;
        }
        long now = clock.getAsLong();
        if (!outbound.writable()) {
            if (unwritableSince < 0) {
                unwritableSince = now;
            } else if (now - unwritableSince >= writeTimeoutMillis) {
                log.debug("Stream client took nothing for {} ms: disconnected", now - unwritableSince);
                cut(Cut.WRITE_TIMEOUT);
            }
            return;
        }
        unwritableSince = -1;
        pinned(); // lets go of a body once written
        drain();
        if (pending == null && now - lastWriteAt >= keepaliveMillis && demand()) {
            emit(Flux.just(BUFFERS.wrap(KEEPALIVE)), now);
        }
    }

    /** Sends the pending event, already made, if the connection takes it: never encodes anything. */
    synchronized void drain() {
        if (greet && pending == null && !closed && demand()) {
            greet = false;
            emit(Flux.just(BUFFERS.wrap(WAITING)), clock.getAsLong());
        }
        EventBody body = pending;
        if (closed || body == null || !outbound.writable() || !demand()) {
            return;
        }
        pending = null;
        byte[] head = ("event: snapshot\nid: " + body.sequence() + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        ByteBuf data = body.wrap();
        sent.set(new Sent(body, data));
        emit(Flux.just(BUFFERS.wrap(head), BUFFERS.wrap(data), BUFFERS.wrap(END)), clock.getAsLong());
    }

    private boolean demand() {
        return sink != null && sink.requestedFromDownstream() > 0;
    }

    private void emit(Publisher<DataBuffer> event, long now) {
        lastWriteAt = now;
        sink.next(event);
    }

    /**
     * Ends this client's stream because something failed while serving it (its event could not be
     * made): the other clients are not concerned. The response ends normally, so the client
     * reconnects as after any end of the stream.
     */
    synchronized void fail(Throwable failure) {
        if (closed) {
            return;
        }
        log.warn("A stream client's event could not be made; that client's stream is ended", failure);
        onCut.accept(Cut.ERROR);
        close();
    }

    /**
     * Disconnects this client: its connection is closed, so that what is queued on it is dropped
     * (and the buffers over event data are released) instead of waiting to be written.
     */
    synchronized void cut(Cut reason) {
        if (closed) {
            return;
        }
        onCut.accept(reason);
        close();
        outbound.close();
    }

    /**
     * Cuts this client for the pending-bytes budget if it still holds {@code body}, re-checked under
     * its lock (its connection may have written it since the budget was counted): else nothing.
     */
    synchronized boolean cutIfHolding(EventBody body, Cut reason) {
        if (closed || pinned() != body) {
            return false;
        }
        cut(reason);
        return true;
    }

    /**
     * The data of the last event sent, while the connection still holds it (Netty has not written
     * all of it to the socket yet: its buffer over the data is not released); else null.
     */
    @Nullable EventBody pinned() {
        Sent last = sent.get();
        if (last == null) {
            return null;
        }
        if (last.buffer().refCnt() == 0) {
            // written: the body is no longer this client's to keep
            sent.compareAndSet(last, null);
            return null;
        }
        return last.body();
    }

    /** Ends the stream (shutdown, or the client is cut); the response completes. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending = null;
        sent.set(null);
        if (sink != null) {
            sink.complete();
        }
    }
}
