package io.fabrictelemetry.metrics.server;

import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * A connection's handler that keeps at most one check pending on the connection's event loop,
 * instead of a timer per request ({@link RequestDeadline}, {@link IdleDeadline}); the check is
 * cancelled when the connection closes or the handler is removed.
 */
abstract class ConnectionCheck extends ChannelDuplexHandler {

    private @Nullable ScheduledFuture<?> pending;

    /** Whether a check is scheduled and has not run yet. */
    final boolean checkPending() {
        return pending != null;
    }

    /** Schedules the check in {@code delayNanos}; call only when none is pending. */
    final void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
        pending = ctx.executor().schedule(() -> {
            pending = null;
            check(ctx);
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Runs on the event loop when the scheduled time comes; may schedule the next check. */
    abstract void check(ChannelHandlerContext ctx);

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    private void cancel() {
        ScheduledFuture<?> scheduled = pending;
        pending = null;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
