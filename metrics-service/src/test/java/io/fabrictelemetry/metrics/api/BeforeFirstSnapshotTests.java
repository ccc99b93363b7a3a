package io.fabrictelemetry.metrics.api;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Nothing has been collected: the generator port is closed and polls are an hour apart. */
@SpringBootTest(properties = {"poll.interval=3h", "poll.timeout=1s", "stale.after=4h"})
@AutoConfigureWebTestClient
class BeforeFirstSnapshotTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Test
    void telemetryIsUnavailableWithRetryAfter() {
        for (String uri : new String[] {"/telemetry/ListMetrics", "/telemetry/GetMetric?switch=a&metric=b"}) {
            client.get().uri(uri).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().valueEquals("Retry-After", "10800")
                    .expectHeader().contentType("application/problem+json")
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:no-data-yet")
                    .jsonPath("$.status").isEqualTo(503);
        }
    }

    @Test
    void readinessIsOutOfServiceButLivenessIsUp() {
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.status").isEqualTo("OUT_OF_SERVICE");
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
