package io.fabrictelemetry.generator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

@SpringBootTest(properties = {"generator.switches=10", "generator.period=1h", "generator.seed=1",
        "GENERATOR_CONFIG_FILE=target/no-such-file.yml"})
@AutoConfigureWebTestClient
class CountersApiTests {

    @Autowired
    WebTestClient client;

    private EntityExchangeResult<byte[]> getCounters() {
        return client.get().uri("/counters").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.parseMediaType("text/csv;charset=utf-8"))
                .expectBody().returnResult();
    }

    @Test
    void servesOneCsvRowPerSwitchAfterTheHeader() {
        byte[] body = getCounters().getResponseBody();
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(new String(body, StandardCharsets.UTF_8)).forEach(rows::add);

        assertThat(rows).hasSize(11);
        assertThat(rows.get(0).getField(0)).isEqualTo("switch_id");
        assertThat(rows.get(0).getFieldCount()).isEqualTo(9);
        assertThat(rows.subList(1, 11)).extracting(r -> r.getField(0))
                .containsExactly("sw-0001", "sw-0002", "sw-0003", "sw-0004", "sw-0005",
                        "sw-0006", "sw-0007", "sw-0008", "sw-0009", "sw-0010");
    }

    @Test
    void requestsWithinOnePeriodGetIdenticalBodiesAndIdentity() {
        EntityExchangeResult<byte[]> first = getCounters();
        EntityExchangeResult<byte[]> second = getCounters();

        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(second.getResponseHeaders().getETag()).isEqualTo(first.getResponseHeaders().getETag());
    }

    @Test
    void carriesAStrongQuotedEtagAndTheSamplingInstantInMilliseconds() {
        EntityExchangeResult<byte[]> result = getCounters();
        String etag = result.getResponseHeaders().getETag();
        String sampledAt = result.getResponseHeaders().getFirst("X-Sampled-At");

        assertThat(etag).matches("\"[0-9a-f]{8}-\\d+\"");
        assertThat(sampledAt).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(Instant.parse(sampledAt)).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void matchingIfNoneMatchGetsNotModifiedWithTheSameIdentityAndNoBody() {
        EntityExchangeResult<byte[]> full = getCounters();
        String etag = full.getResponseHeaders().getETag();

        client.get().uri("/counters").header("If-None-Match", etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals("ETag", etag)
                .expectHeader().valueEquals("X-Sampled-At", full.getResponseHeaders().getFirst("X-Sampled-At"))
                .expectBody().isEmpty();
    }

    @Test
    void staleIfNoneMatchGetsTheFullBody() {
        client.get().uri("/counters").header("If-None-Match", "\"00000000-1\"").exchange()
                .expectStatus().isOk()
                .expectBody().consumeWith(r -> assertThat(r.getResponseBody()).isNotEmpty());
    }

    @Test
    void healthExposesLivenessAndReadinessGroups() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.groups").value(groups -> assertThat(groups.toString()).contains("liveness", "readiness"));
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void prometheusShowsGenerationsSwitchesDownAndRequestMetrics() {
        getCounters();
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("fabric_generator_generations_total 1.0")
                        .containsPattern("fabric_generator_switches_down \\d")
                        .contains("fabric_generator_switches 10.0")
                        .containsPattern("http_server_requests_seconds_count\\{.*uri=\"/counters\""));
    }

    @Test
    void requestIdIsNotRequiredByTheGenerator() {
        // the metrics-service tags its own requests; the generator answers the same CSV with or without an ID
        EntityExchangeResult<byte[]> tagged = client.get().uri("/counters").header("X-Request-Id", "poll-42")
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult();
        EntityExchangeResult<byte[]> untagged = client.get().uri("/counters").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                .expectBody(byte[].class).returnResult();

        assertThat(new String(untagged.getResponseBody(), StandardCharsets.UTF_8)).startsWith("switch_id,");
        assertThat(untagged.getResponseBody()).isEqualTo(tagged.getResponseBody());
        assertThat(untagged.getResponseHeaders().getETag()).isEqualTo(tagged.getResponseHeaders().getETag());
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() {
        client.get().uri("/actuator/info").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.build.version").exists();
        client.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
        client.get().uri("/actuator/beans").exchange().expectStatus().isNotFound();
    }

    @Test
    void unknownPathIsNotFound() {
        client.get().uri("/nope").exchange().expectStatus().isNotFound();
    }
}
