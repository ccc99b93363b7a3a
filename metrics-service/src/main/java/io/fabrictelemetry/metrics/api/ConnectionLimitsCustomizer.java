package io.fabrictelemetry.metrics.api;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Applies {@link ConnectionLimits} to Reactor Netty: idle and trickling clients are closed, so
 * that they cannot hold connections open forever while others are served. The request timeout is
 * {@link RequestDeadline}, placed right after the HTTP codec, rather than Reactor Netty's own
 * (see there why).
 */
@Component
class ConnectionLimitsCustomizer implements NettyServerCustomizer {

    private final ConnectionLimits limits;

    ConnectionLimitsCustomizer(ConnectionLimits limits) {
        this.limits = limits;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        long timeoutNanos = limits.requestTimeout().toNanos();
        return server.idleTimeout(limits.idleTimeout())
                .doOnChannelInit((observer, channel, remoteAddress) -> {
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline().addAfter(NettyPipeline.HttpCodec, RequestDeadline.NAME,
                                new RequestDeadline(timeoutNanos));
                    }
                });
    }
}
