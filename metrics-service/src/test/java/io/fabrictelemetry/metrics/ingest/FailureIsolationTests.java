package io.fabrictelemetry.metrics.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;


/** The whole service against a generator that goes bad in turn: the API answers 200 throughout. */
@SpringBootTest(properties = {"poll.interval=300ms", "poll.timeout=250ms", "stale.after=1h"})
@AutoConfigureWebTestClient
class FailureIsolationTests {

    @RegisterExtension
    static WireMockExtension generator = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @DynamicPropertySource
    static void generatorPort(DynamicPropertyRegistry registry) {
        registry.add("generator.port", generator::getPort);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    IngestionTracker tracker;

    private static ResponseDefinitionBuilder csv(String latency, String etag) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/csv").withHeader("ETag", etag)
                .withBody("switch_id,latency_us\r\nsw-0001," + latency + "\r\nsw-0002,2.0\r\n");
    }

    private void serveAndAwait(ResponseDefinitionBuilder response, PollOutcome outcome) {
        generator.resetAll();
        generator.stubFor(get("/counters").willReturn(response));
        await().atMost(Duration.ofSeconds(15)).until(() -> tracker.status().lastOutcome() == outcome);
    }

    private void apiAnswers(String latency) {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.value").isEqualTo(Double.parseDouble(latency));
        client.get().uri("/telemetry/ListMetrics").exchange().expectStatus().isOk();
    }

    @Test
    void apiKeepsAnsweringFromTheLastGoodSnapshotWhateverTheGeneratorDoes() {
        serveAndAwait(csv("1.5", "\"a\""), PollOutcome.SUCCESS);
        apiAnswers("1.5");

        List<ResponseDefinitionBuilder> faults = List.of(aResponse().withStatus(500),
                aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html/>"),
                csv("9.9", "\"b\"").withFixedDelay(2_000));
        List<PollOutcome> outcomes = List.of(PollOutcome.HTTP_ERROR, PollOutcome.IO_ERROR, PollOutcome.PARSE_ERROR,
                PollOutcome.TIMEOUT);
        // what each fault's lastError says (the reset's words are the transport's)
        List<String> errors = List.of("generator answered HTTP 500", "(?i).*connection reset.*",
                "Content-Type text/html is not CSV", "no complete response within poll.timeout");
        for (int i = 0; i < faults.size(); i++) {
            serveAndAwait(faults.get(i), outcomes.get(i));
            apiAnswers("1.5");
            String error = errors.get(i);
            client.get().uri("/actuator/health").exchange().expectBody()
                    .jsonPath("$.components.ingestion.details.lastOutcome").isEqualTo(outcomes.get(i).tag())
                    .jsonPath("$.components.ingestion.details.lastError").value(String.class,
                            lastError -> assertThat(lastError).matches(error));
        }

        serveAndAwait(csv("3.25", "\"c\""), PollOutcome.SUCCESS);
        apiAnswers("3.25");
        assertThat(tracker.status().consecutiveFailures()).isZero();
    }
}
