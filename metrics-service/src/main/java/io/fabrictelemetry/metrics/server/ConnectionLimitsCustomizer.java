package io.fabrictelemetry.metrics.server;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

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
    private final BareErrorProblems.Bodies refusedBodies;

    /**
     * @param maxInitialLineLength and {@code maxHeaderSize}: the limits Spring Boot gives Reactor
     *        Netty's decoder (its own customizer applies them, after this one may run), named in the
     *        problem bodies of a 414 and a 431
     */
    ConnectionLimitsCustomizer(ConnectionLimits limits,
            @Value("${server.netty.max-initial-line-length:4KB}") DataSize maxInitialLineLength,
            @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeaderSize) {
        this.limits = limits;
        this.refusedBodies = new BareErrorProblems.Bodies(maxInitialLineLength.toBytes(), maxHeaderSize.toBytes());
    }

    @Override
    public HttpServer apply(HttpServer server) {
        long idleNanos = limits.idleTimeout().toNanos();
        long requestNanos = limits.requestTimeout().toNanos();
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel.pipeline()
                        .addAfter(NettyPipeline.HttpCodec, BareErrorProblems.NAME,
                                new BareErrorProblems(refusedBodies))
                        .addAfter(NettyPipeline.HttpCodec, RequestDeadline.NAME, new RequestDeadline(requestNanos))
                        .addAfter(NettyPipeline.HttpCodec, IdleDeadline.NAME, new IdleDeadline(idleNanos));
            }
        });
    }
}
