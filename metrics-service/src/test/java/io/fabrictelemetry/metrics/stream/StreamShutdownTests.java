package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.fabrictelemetry.metrics.MetricsApplication;
import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/** Graceful shutdown ends open streams instead of waiting for them. */
class StreamShutdownTests {

    @Test
    void shutdownEndsOpenStreamsInsteadOfWaitingForThem() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MetricsApplication.class)
                .properties("server.port=0", "generator.port=" + NoGenerator.PORT, "poll.interval=1h",
                        "poll.timeout=1s", "stale.after=2h",
                        "spring.lifecycle.timeout-per-shutdown-phase=120s")
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Instant now = Instant.now();
        context.getBean(SnapshotStore.class).publish(Table.of(List.of("packet_errors"), List.of("sw-1"),
                new long[] {1}, new byte[] {CellKind.INTEGER}, 0, 0), now, now, null);

        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/telemetry/stream")).build(), HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<Long> linesUntilEnd = CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = response.body()) {
                return lines.count();
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(SnapshotStream.class).clients() == 1);

        long started = System.nanoTime();
        context.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // the stream ended cleanly (a normal end of the body, not an error), with the first event in it
        assertThat(linesUntilEnd.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(4);
        // graceful shutdown would otherwise have waited the whole 120 s for the open stream
        assertThat(took).isLessThan(Duration.ofSeconds(60));
    }
}
