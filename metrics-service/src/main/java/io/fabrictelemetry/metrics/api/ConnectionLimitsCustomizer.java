package io.fabrictelemetry.metrics.api;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Applies {@link ConnectionLimits} to Reactor Netty: idle and trickling clients are closed, so
 * that they cannot hold connections open forever while others are served. Both timeouts are
 * handlers of ours placed right after the HTTP codec, {@link IdleDeadline} and
 * {@link RequestDeadline}, rather than Reactor Netty's {@code idleTimeout} and
 * {@code requestTimeout}, which cost every request timers and pipeline changes (see each). A third,
 * {@link BareErrorProblems}, gives a problem body to the errors Reactor Netty answers by itself.
 */
@Component
class ConnectionLimitsCustomizer implements NettyServerCustomizer {

    private final ConnectionLimits limits;

    ConnectionLimitsCustomizer(ConnectionLimits limits) {
        this.limits = limits;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        long idleNanos = limits.idleTimeout().toNanos();
        long requestNanos = limits.requestTimeout().toNanos();
        int maxInitialLineLength = server.configuration().decoder().maxInitialLineLength();
        int maxHeaderSize = server.configuration().decoder().maxHeaderSize();
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline()
                        .addAfter(NettyPipeline.HttpCodec, BareErrorProblems.NAME,
                                new BareErrorProblems(maxInitialLineLength, maxHeaderSize))
                        .addAfter(NettyPipeline.HttpCodec, RequestDeadline.NAME, new RequestDeadline(requestNanos))
                        .addAfter(NettyPipeline.HttpCodec, IdleDeadline.NAME, new IdleDeadline(idleNanos));
            }
        });
    }
}
