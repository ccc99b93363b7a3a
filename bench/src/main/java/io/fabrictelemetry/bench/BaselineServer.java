package io.fabrictelemetry.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The limit to measure against: a bare Reactor Netty server, no Spring, that answers the two
 * telemetry paths with bytes captured from the real service. Same machine, same event-loop
 * library, none of the application's work: what the service costs is the difference.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.fabrictelemetry.bench.BaselineServer PORT GETMETRIC_FILE LISTMETRICS_FILE}
 */
public final class BaselineServer {

    private BaselineServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        // off-heap, as the service keeps its large bodies: both are written to the socket without a copy
        ByteBuffer getMetric = direct(Files.readAllBytes(Path.of(args[1])));
        ByteBuffer listMetrics = direct(Files.readAllBytes(Path.of(args[2])));
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle((request, response) -> {
                    String path = request.fullPath();
                    ByteBuffer body = path.endsWith("/telemetry/GetMetric") ? getMetric
                            : path.endsWith("/telemetry/ListMetrics") ? listMetrics : null;
                    if (body == null) {
                        return response.status(HttpResponseStatus.NOT_FOUND).send();
                    }
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                            .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.remaining()))
                            .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body.duplicate())))
                            .then();
                })
                .bindNow();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.disposeNow();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }
}
