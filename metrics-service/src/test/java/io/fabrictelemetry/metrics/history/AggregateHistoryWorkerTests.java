package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.query.PortFabric;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/**
 * GetMetricHistory of a switch's aggregate on port rows (its ports' series decoded and combined)
 * is answered from a scheduler of its own, not the caller's thread (the event loop); one port's
 * series, a single decode, stays on the caller's thread; a bad request is still refused at once,
 * on the caller's thread, and the aggregate's answer over HTTP is what it was.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "history.retention=15m"})
@AutoConfigureWebTestClient
class AggregateHistoryWorkerTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    HistoryHandler handler;

    @Autowired
    SnapshotStore store;

    @Autowired
    WebTestClient client;

    private String answeredOn(String query) {
        MockServerRequest request = MockServerRequest.builder()
                .uri(URI.create("http://localhost/telemetry/GetMetricHistory?" + query)).build();
        return handler.getMetricHistory(request).map(response -> {
            assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
            return Thread.currentThread().getName();
        }).block(Duration.ofSeconds(30));
    }

    @Test
    void aSwitchAggregateOnPortRowsIsBuiltOnTheHistorySchedulerOnePortOnTheCallersThread() {
        PortFabric.publish(store);

        assertThat(answeredOn("switch=" + PortFabric.A + "&metric=" + PortFabric.PCK_IN)).startsWith("history-aggregate-");
        assertThat(answeredOn("switch=" + PortFabric.A + "&metric=" + PortFabric.PCK_IN + "&port=1"))
                .isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void aBadRequestForAnAggregateIsRefusedAtOnce() {
        PortFabric.publish(store);
        MockServerRequest request = MockServerRequest.builder()
                .uri(URI.create("http://localhost/telemetry/GetMetricHistory?switch=" + PortFabric.A + "&metric=nope")).build();

        try {
            handler.getMetricHistory(request);
            throw new AssertionError("an unknown metric was not refused");
        } catch (ProblemException e) {
            assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND);
        }
    }

    @Test
    void theAggregatesAnswerOverHttpHoldsItsCurrentPoint() {
        PortFabric fabric = PortFabric.publish(store);

        String body = client.get().uri("/telemetry/GetMetricHistory?switch=" + PortFabric.A + "&metric=" + PortFabric.PCK_IN)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().exists("ETag")
                .expectBody(String.class).returnResult().getResponseBody();

        // A's ports 1 and 2 send 1,000 and 2,500 packets (port 23 has no reading): the newest point sums them
        assertThat(body).contains("\"aggregate\":\"sum\"").endsWith(",\"value\":3500}]}");
        assertThat(fabric.snapshot).isSameAs(store.current());
    }
}
