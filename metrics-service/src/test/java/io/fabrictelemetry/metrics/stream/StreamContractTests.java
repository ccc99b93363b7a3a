package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;
import reactor.test.StepVerifier;

/**
 * The event stream's answers through the contract filter, over a real server (the stream writes to
 * Netty's channel, which a mock exchange has not): status and headers, since the body never ends.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class StreamContractTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Test
    void streamAnswersFollowTheDocument() {
        store.publish(Table.of(List.of("latency_us"), List.of("sw-0001"),
                new long[] {Double.doubleToRawLongBits(1.37)}, new byte[] {CellKind.DECIMAL}, 0, 0),
                Instant.now(), Instant.now(), "\"g-1\"");
        client.head().uri("/telemetry/stream").exchange().expectStatus().isOk();
        client.get().uri("/telemetry/stream?metric=").exchange().expectStatus().isBadRequest();
        client.get().uri("/telemetry/stream?switch=nope").exchange().expectStatus().isNotFound();
        var events = client.get().uri("/telemetry/stream").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Accel-Buffering", "no")
                .returnResult(String.class);
        StepVerifier.create(events.getResponseBody().take(1))
                .assertNext(data -> assertThat(data).contains("\"sequence\""))
                .verifyComplete();
    }
}
