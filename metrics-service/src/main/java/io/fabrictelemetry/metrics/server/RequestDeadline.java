package io.fabrictelemetry.metrics.server;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Closes a connection whose request has not fully arrived within the request timeout (from its
 * decoded head to its last content), without a timer per request.
 *
 * <p>Why not Reactor Netty's {@code HttpServer.requestTimeout}: it schedules one task per request and
 * cancels it when the request's last content reaches the request's operations. A GET answered at
 * once (every request of this API) is finished, and its operations disposed, before that last
 * content is read, so the task is never cancelled: each request's whole state (operations, headers,
 * pipeline objects) stayed in the event loop's timer queue until the timeout fired. At 27,000 req/s
 * and a 2 s timeout that was ~50,000 requests alive at any time: ~100 MB of heap that every young
 * collection copied, a timer queue of 50,000 entries, and the p99 of GetMetric (docs/BENCHMARKS.md).
 *
 * <p>Here a request only records when its head arrived. One check per connection is scheduled when a
 * request starts and none is pending; when it fires it closes the connection if the request still in
 * progress is overdue, waits for that request's deadline if it is not, and otherwise schedules
 * nothing. A connection that serves quick requests back to back therefore schedules at most one
 * check per timeout period, holding nothing but this handler.
 *
 * <p>One instance per connection (it has state); it sits right after the HTTP codec, so it sees the
 * last content before Reactor Netty does.
 */
final class RequestDeadline extends ConnectionCheck {

    static final String NAME = "fabric.requestDeadline";

    private static final Logger log = LoggerFactory.getLogger(RequestDeadline.class);
    private static final long IDLE = Long.MIN_VALUE;

    private final long timeoutNanos;
    /** When the head of the request in progress was decoded, or {@link #IDLE} between requests. */
    private long startedNanos = IDLE;

    RequestDeadline(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeout must be positive, but was " + timeoutNanos + " ns");
        }
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            startedNanos = ctx.executor().ticker().nanoTime();
            if (!checkPending()) {
                scheduleCheck(ctx, timeoutNanos);
            }
        }
        if (msg instanceof LastHttpContent) { // also a FullHttpRequest: head and content at once
            startedNanos = IDLE;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    void check(ChannelHandlerContext ctx) {
        if (startedNanos == IDLE || !ctx.channel().isActive()) {
            return;
        }
        long remaining = timeoutNanos - (ctx.executor().ticker().nanoTime() - startedNanos);
        if (remaining > 0) {
            scheduleCheck(ctx, remaining);
            return;
        }
        log.debug("closing {}: its request did not fully arrive within {} ms", ctx.channel().remoteAddress(),
                TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        ctx.close();
    }
}
