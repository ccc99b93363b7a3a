package io.fabrictelemetry.metrics.server;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Closes a connection that stays idle for the idle timeout: no request in progress, no new request
 * decoded, and none of its last response taken by the client. That cuts clients that connect and
 * send nothing, and clients that trickle a request head (its bytes decode to nothing until it is
 * complete). A request in progress is never idle (a long response, such as the event stream, is not
 * cut; a request that trickles its body is {@link RequestDeadline}'s).
 *
 * <p>Why not Reactor Netty's {@code HttpServer.idleTimeout}: it removes its handler from the pipeline
 * when a request arrives and adds a new one when the response is done, so every request pays for two
 * pipeline changes, a timer scheduled and a timer cancelled (without them, measured in alternating
 * pairs: ListMetrics ×1.09 and GetMetric ×1.06 in throughput, docs/BENCHMARKS.md). Here the
 * handler stays: a request counts itself in, its response's last content counts it out and notes
 * the time, and one check per connection is pending at most, which closes the connection if it has
 * been idle for the whole timeout and otherwise waits for the rest of it (or, while a request is in
 * progress, for the end of its response). A busy connection schedules about one check per timeout.
 *
 * <p>Like Reactor Netty's, the idle time starts when the last response has left: while the client is
 * still taking its bytes (a large body in the channel's outbound buffer), the connection is not
 * idle; once those bytes stop moving, it is closed within two timeouts (a check notes how many
 * bytes are queued, the next one whether they moved).
 *
 * <p>One instance per connection (it has state), right after the HTTP codec, so that it sees decoded
 * requests and the responses' messages before they are encoded.
 */
final class IdleDeadline extends ConnectionCheck {

    static final String NAME = "fabric.idleDeadline";

    private static final Logger log = LoggerFactory.getLogger(IdleDeadline.class);
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final long timeoutNanos;
    /** Requests decoded whose response has not written its last content yet. */
    private int inProgress;
    /** When the connection last did something: opened, a response ended, or its bytes moved. */
    private long activeNanos = NOT_STARTED;
    /** The response bytes still queued at the last check, to tell whether the client takes them. */
    private long pendingBytes;

    IdleDeadline(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeoutNanos + " ns");
        }
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (activeNanos == NOT_STARTED) {
            activeNanos = ctx.executor().ticker().nanoTime();
            scheduleCheck(ctx, timeoutNanos);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inProgress++;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent && !isInformational(msg) && inProgress > 0 && --inProgress == 0) {
            activeNanos = ctx.executor().ticker().nanoTime();
            if (!checkPending()) {
                scheduleCheck(ctx, timeoutNanos);
            }
        }
        ctx.write(msg, promise);
    }

    /** A {@code 100 Continue} is written whole but does not end its request's response. */
    private static boolean isInformational(Object msg) {
        return msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    @Override
    void check(ChannelHandlerContext ctx) {
        if (inProgress > 0 || !ctx.channel().isActive()) {
            return; // the end of the response schedules the next check
        }
        long now = ctx.executor().ticker().nanoTime();
        long pending = pendingBytes(ctx);
        if (pending > 0 && pending != pendingBytes) {
            activeNanos = now; // the client is still taking the last response
        }
        pendingBytes = pending;
        long remaining = timeoutNanos - (now - activeNanos);
        if (remaining > 0) {
            scheduleCheck(ctx, remaining);
            return;
        }
        log.debug("closing {}: idle for {} ms", ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        ctx.close();
    }

    private static long pendingBytes(ChannelHandlerContext ctx) {
        ChannelOutboundBuffer outbound = ctx.channel().unsafe().outboundBuffer();
        return outbound == null ? 0 : outbound.totalPendingWriteBytes();
    }
}
