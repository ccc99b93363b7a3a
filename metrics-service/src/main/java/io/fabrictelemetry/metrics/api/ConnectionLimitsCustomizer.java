package io.fabrictelemetry.metrics.api;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;

import reactor.netty.http.server.HttpServer;

/**
 * Applies {@link ConnectionLimits} to Reactor Netty: idle and trickling clients are closed, so
 * that they cannot hold connections open forever while others are served.
 */
@Component
class ConnectionLimitsCustomizer implements NettyServerCustomizer {

    private final ConnectionLimits limits;

    ConnectionLimitsCustomizer(ConnectionLimits limits) {
        this.limits = limits;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.idleTimeout(limits.idleTimeout())
                .requestTimeout(limits.requestTimeout());
    }
}
