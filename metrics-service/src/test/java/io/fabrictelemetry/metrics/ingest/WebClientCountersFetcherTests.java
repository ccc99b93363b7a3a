package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import reactor.core.publisher.Mono;

class WebClientCountersFetcherTests {

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void closingTheContextDisposesTheFetchersConnectionPool() throws IOException {
        GeneratorProperties target = new GeneratorProperties("127.0.0.1", closedPort(), null);
        PollProperties poll = new PollProperties(Duration.ofSeconds(2), Duration.ofSeconds(1), DataSize.ofMegabytes(1));
        AtomicReference<WebClientCountersFetcher> used = new AtomicReference<>();
        new ApplicationContextRunner()
                .withBean(WebClient.Builder.class, WebClient::builder)
                .withBean(GeneratorProperties.class, () -> target)
                .withBean(PollProperties.class, () -> poll)
                .withBean(WebClientCountersFetcher.class)
                .run(context -> {
                    WebClientCountersFetcher fetcher = context.getBean(WebClientCountersFetcher.class);
                    // a refused connection still creates the pool for that address (and its eviction task)
                    fetcher.fetch(null).onErrorResume(error -> Mono.empty()).block(Duration.ofSeconds(5));
                    assertThat(fetcher.pool().isDisposed()).isFalse();
                    used.set(fetcher);
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> used.get().pool().isDisposed());
    }
}
