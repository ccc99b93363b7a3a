package io.fabrictelemetry.metrics.stream;

import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

import io.netty.channel.Channel;
import reactor.netty.NettyOutbound;

/**
 * The connection a stream writes to, as far as the stream needs it: whether it takes more now
 * (Netty's writability: the bytes queued for the socket are under the high-water mark) and how to
 * cut it.
 */
interface StreamOutbound {

    /** For a response that is not Reactor Netty's (a mock exchange): always writable. */
    StreamOutbound UNBOUNDED = new StreamOutbound() {
        @Override
        public boolean writable() {
            return true;
        }

        @Override
        public void close() {
        }
    };

    boolean writable();

    void close();

    static StreamOutbound of(ServerHttpResponse response) {
        Object nativeResponse;
        try {
            nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        } catch (IllegalArgumentException notNative) {
            return UNBOUNDED;
        }
        if (!(nativeResponse instanceof NettyOutbound outbound)) {
            return UNBOUNDED;
        }
        AtomicReference<@Nullable Channel> channel = new AtomicReference<>();
        outbound.withConnection(connection -> channel.set(connection.channel()));
        Channel found = channel.get();
        if (found == null) {
            return UNBOUNDED;
        }
        return new StreamOutbound() {
            @Override
            public boolean writable() {
                return found.isWritable();
            }

            @Override
            public void close() {
                found.close();
            }
        };
    }
}
