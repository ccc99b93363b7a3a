package io.fabrictelemetry.bench.floor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import reactor.core.publisher.Mono;

/**
 * The framework floor: what Spring WebFlux's functional endpoints cost with nothing of ours on
 * top — the same Boot version and Netty as the metrics-service, routed through the same
 * {@code DispatcherHandler}, but no Actuator, no filters, no metrics, no access log, no snapshot.
 * It answers the two telemetry paths with bytes captured from the real service, off the heap and
 * without a copy, as the service and the bare-Netty baseline do. Between the baseline and this
 * floor is the framework's cost; between the floor and the service is ours.
 *
 * <p>{@code java -jar bench/floor/target/bench-floor-*-exec.jar --server.port=PORT
 * --floor.get-metric=FILE --floor.list-metrics=FILE}
 */
@SpringBootApplication
public class FloorApplication {

    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

    public static void main(String[] args) {
        SpringApplication.run(FloorApplication.class, args);
    }

    @Bean
    RouterFunction<ServerResponse> routes(@Value("${floor.get-metric}") Path getMetricFile,
            @Value("${floor.list-metrics}") Path listMetricsFile) throws IOException {
        ByteBuffer getMetric = direct(Files.readAllBytes(getMetricFile));
        ByteBuffer listMetrics = direct(Files.readAllBytes(listMetricsFile));
        return RouterFunctions.route()
                .GET("/telemetry/GetMetric", request -> send(getMetric))
                .GET("/telemetry/ListMetrics", request -> send(listMetrics))
                .build();
    }

    private static Mono<ServerResponse> send(ByteBuffer body) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromDataBuffers(
                        Mono.fromSupplier(() -> BUFFERS.wrap(Unpooled.wrappedBuffer(body.duplicate())))));
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer.asReadOnlyBuffer();
    }
}
