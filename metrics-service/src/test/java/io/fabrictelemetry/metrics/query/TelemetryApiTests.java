package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.api.TelemetryAnswer;
import io.fabrictelemetry.metrics.ingest.IngestionStatus;
import io.fabrictelemetry.metrics.ingest.IngestionTracker;
import io.fabrictelemetry.metrics.ingest.PollOutcome;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * The HTTP contract of the API, over a snapshot the test publishes itself. The poll loop aims at
 * a port where nothing listens, once an hour, so it never replaces that snapshot. Rates are off
 * ({@code METRICS_COUNTERS=}): the answers are the generator's values alone ({@code CounterRatesApiTests}
 * has them on).
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "metrics.counters="})
@AutoConfigureWebTestClient
class TelemetryApiTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    static final String PROBLEM = "application/problem+json";

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Autowired
    IngestionTracker tracker;

    Snapshot snapshot;

    @BeforeEach
    void publish() {
        Table table = Table.of(List.of("bandwidth_gbps", "packet_errors", "latency_us"),
                List.of("sw-0001", "sw-0002"),
                new long[] {Double.doubleToRawLongBits(312.5), 17, Double.doubleToRawLongBits(1.37),
                        Double.doubleToRawLongBits(0.0), 4, 0},
                new byte[] {CellKind.DECIMAL, CellKind.INTEGER, CellKind.DECIMAL, CellKind.DECIMAL, CellKind.INTEGER, CellKind.NONE},
                0, 0);
        snapshot = store.publish(table, Instant.now().minusMillis(1500), Instant.now(), "\"g-1\"");
    }

    @Test
    void getMetricAnswersTheValueWithItsTimes() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.switch").isEqualTo("sw-0001")
                .jsonPath("$.metric").isEqualTo("latency_us")
                .jsonPath("$.value").isEqualTo(1.37)
                .jsonPath("$.sampledAt").isEqualTo(iso(snapshot.sampledAt()))
                .jsonPath("$.collectedAt").isEqualTo(iso(snapshot.collectedAt()));
    }

    private static String iso(Instant instant) {
        return io.fabrictelemetry.conventions.TimeFormat.iso(instant);
    }

    @Test
    void integerCellIsAJsonIntegerAndDecimalCellAJsonDecimal() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=packet_errors").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("\"value\":17,"));
        client.get().uri("/telemetry/GetMetric?switch=sw-0002&metric=bandwidth_gbps").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("\"value\":0.0,"));
    }

    @Test
    void noReadingIsJsonNullNeverZero() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0002&metric=latency_us").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("\"value\":null,"));
    }

    @Test
    void listMetricsServesTheWholeSnapshotInTheGeneratorsOrder() {
        client.get().uri("/telemetry/ListMetrics").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).value(body -> assertThat(body).isEqualTo(
                        "{\"sequence\":" + snapshot.sequence() + ",\"sampledAt\":\"" + iso(snapshot.sampledAt())
                                + "\",\"collectedAt\":\"" + iso(snapshot.collectedAt()) + "\","
                                + "\"metrics\":[\"bandwidth_gbps\",\"packet_errors\",\"latency_us\"],"
                                + "\"switches\":{\"sw-0001\":{\"bandwidth_gbps\":312.5,\"packet_errors\":17,"
                                + "\"latency_us\":1.37},\"sw-0002\":{\"bandwidth_gbps\":0.0,\"packet_errors\":4,"
                                + "\"latency_us\":null}}}"));
    }

    @Test
    void bothEndpointsCarryTheSnapshotEtagDataAgeAndNoCache() {
        for (String uri : List.of("/telemetry/ListMetrics", "/telemetry/GetMetric?switch=sw-0001&metric=latency_us")) {
            client.get().uri(uri).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals("ETag", snapshot.etag())
                    .expectHeader().valueEquals("Cache-Control", "no-cache")
                    .expectHeader().value("X-Data-Age-Ms", age -> assertThat(Long.parseLong(age))
                            .isGreaterThanOrEqualTo(1500).isLessThan(60_000));
        }
    }

    @Test
    void matchingIfNoneMatchIsAnsweredNotModifiedWithoutABody() {
        client.get().uri("/telemetry/ListMetrics").header("If-None-Match", snapshot.etag()).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals("ETag", snapshot.etag())
                .expectBody().isEmpty();
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us")
                .header("If-None-Match", snapshot.etag()).exchange()
                .expectStatus().isNotModified();
    }

    @Test
    void gzipRequestGetsTheSameBodyCompressedUnderItsOwnEtag() throws Exception {
        byte[] plain = client.get().uri("/telemetry/ListMetrics").exchange()
                .expectHeader().valueEquals("Vary", "Accept-Encoding")
                .expectBody().returnResult().getResponseBody();
        var gzipped = client.get().uri("/telemetry/ListMetrics").header("Accept-Encoding", "br, gzip;q=0.8")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Content-Encoding", "gzip")
                .expectHeader().valueEquals("Vary", "Accept-Encoding")
                .expectHeader().valueEquals("Cache-Control", "no-cache")
                .expectBody().returnResult();
        String etag = gzipped.getResponseHeaders().getETag();
        assertThat(etag).isNotEqualTo(snapshot.etag()).endsWith("-gzip\"");
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.getResponseBody()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }

        client.get().uri("/telemetry/ListMetrics").header("Accept-Encoding", "gzip").header("If-None-Match", etag)
                .exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals("ETag", etag)
                .expectBody().isEmpty();
    }

    @Test
    void gzipRefusedWithQualityZeroGetsTheIdentityBody() {
        client.get().uri("/telemetry/ListMetrics").header("Accept-Encoding", "gzip;q=0, identity").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("Content-Encoding")
                .expectHeader().valueEquals("ETag", snapshot.etag());
    }

    @Test
    void etagOfAnOlderSnapshotGetsTheFullBody() {
        String old = snapshot.etag();
        publish();
        client.get().uri("/telemetry/ListMetrics").header("If-None-Match", old).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", snapshot.etag());
    }

    @Test
    void missingParameterIsABadRequestNamingIt() {
        client.get().uri("/telemetry/GetMetric?metric=latency_us").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(PROBLEM)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.title").isEqualTo("Bad Request")
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:missing-parameter")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("'switch'"));
    }

    @Test
    void blankParameterIsABadRequestNamingIt() {
        client.get().uri(uri -> uri.path("/telemetry/GetMetric").queryParam("switch", "sw-0001")
                        .queryParam("metric", "  ").build()).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("'metric'"));
    }

    @Test
    void repeatedParameterIsABadRequestNamingIt() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&switch=sw-0002&metric=latency_us").exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:repeated-parameter")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("'switch'"));
    }

    @Test
    void overLongParameterIsABadRequestThatDoesNotEchoIt() {
        String longName = "x".repeat(257);
        client.get().uri("/telemetry/GetMetric?switch=" + longName + "&metric=latency_us").exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("'switch'").contains("at most 256").doesNotContain(longName));
    }

    @Test
    void unknownSwitchIsNotFoundNamingIt() {
        client.get().uri("/telemetry/GetMetric?switch=sw-9999&metric=latency_us").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(PROBLEM)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-switch")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("'sw-9999'"));
    }

    @Test
    void unknownMetricIsNotFoundWithTheValidMetrics() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=jitter").exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-metric")
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("'jitter'"))
                .jsonPath("$.validMetrics").isEqualTo(List.of("bandwidth_gbps", "packet_errors", "latency_us"));
    }

    @Test
    void oddCharactersInNamesAreEscapedInTheProblemBody() {
        client.get().uri(uri -> uri.path("/telemetry/GetMetric").queryParam("switch", "{s}")
                        .queryParam("metric", "latency_us").build("<script>\"x\"</script>"))
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.detail").isEqualTo("switch '<script>\"x\"</script>' is not in the current snapshot");
    }

    @Test
    void unknownPathIsANotFoundProblem() {
        client.get().uri("/telemetry/Nope").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(PROBLEM)
                .expectBody().jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("/telemetry/GetMetric,",
                        "/telemetry/ListMetrics", "/telemetry/TopSwitches", "/telemetry/GetMetricHistory",
                        "/telemetry/stream", "/telemetry/prometheus"));
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        client.head().uri("/telemetry/ListMetrics").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", snapshot.etag())
                .expectBody().isEmpty();
    }

    @Test
    void optionsListsTheAllowedMethods() {
        client.options().uri("/telemetry/GetMetric").exchange()
                .expectStatus().isNoContent()
                .expectHeader().value("Allow", allow -> assertThat(allow).contains("GET", "HEAD", "OPTIONS"));
    }

    @Test
    void otherMethodsAreNotAllowedWithAnAllowHeader() {
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
            client.method(method).uri("/telemetry/ListMetrics").exchange()
                    .expectStatus().isEqualTo(405)
                    .expectHeader().contentType(PROBLEM)
                    .expectHeader().value("Allow", allow -> assertThat(allow).contains("GET", "HEAD"));
        }
    }

    @Test
    void healthShowsTheIngestionStatusAndEveryDetailTheDashboardReads() {
        // the one poll of the hour, at startup, aims where nothing listens: refused, or cut at the
        // 1 s timeout when a cold JVM on a loaded machine takes longer to try
        await().atMost(Duration.ofSeconds(15)).until(() -> tracker.status().lastPollAt() != null);
        IngestionStatus status = tracker.status();
        assertThat(status.lastOutcome()).isIn(PollOutcome.CONNECT_ERROR, PollOutcome.TIMEOUT);
        assertThat(status.lastError()).matches(status.lastOutcome() == PollOutcome.CONNECT_ERROR
                ? ".*Connection refused.*127\\.0\\.0\\.1:" + NoGenerator.PORT + ".*"
                : "no complete response within poll\\.timeout");
        Snapshot current = store.current();
        // main.js reads the ingestion component's status, staleAfterMs, lastOutcome, consecutiveFailures, lastError
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.ingestion.status").isEqualTo("DOWN")
                .jsonPath("$.components.ingestion.details.reason").isEqualTo("no poll has succeeded yet")
                .jsonPath("$.components.ingestion.details.staleAfterMs").isEqualTo(7_200_000)
                .jsonPath("$.components.ingestion.details.lastOutcome").isEqualTo(status.lastOutcome().tag())
                .jsonPath("$.components.ingestion.details.consecutiveFailures").isEqualTo(1)
                .jsonPath("$.components.ingestion.details.lastError").isEqualTo(status.lastError())
                .jsonPath("$.components.ingestion.details.failingSince").isEqualTo(iso(status.failingSince()))
                .jsonPath("$.components.ingestion.details.lastPollDurationMs")
                        .isEqualTo((int) status.lastPollDuration().toMillis())
                .jsonPath("$.components.ingestion.details.snapshotSequence").isEqualTo((int) current.sequence())
                .jsonPath("$.components.ingestion.details.switches").isEqualTo(2)
                .jsonPath("$.components.ingestion.details.lastSuccess").doesNotExist()
                .jsonPath("$.components.snapshot.status").isEqualTo("UP");
    }

    @Test
    void readinessIsUpWithASnapshotWhateverTheIngestionHealth() {
        client.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.ingestion").doesNotExist();
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.ingestion").doesNotExist()
                // the poll loop's liveness (health/PollLoopHealthIndicator): 3 x (poll.timeout 1s + poll.interval 1h)
                .jsonPath("$.components.pollLoopLiveness.status").isEqualTo("UP")
                .jsonPath("$.components.pollLoopLiveness.details.limitMs").isEqualTo(10_803_000);
    }

    @Test
    void clientRequestIdIsReturnedAndAnInsaneOneIsReplaced() {
        client.get().uri("/telemetry/ListMetrics").header("X-Request-Id", "trace-42.a_b").exchange()
                .expectHeader().valueEquals("X-Request-Id", "trace-42.a_b");
        client.get().uri("/telemetry/ListMetrics").header("X-Request-Id", "bad id\" <script>").exchange()
                .expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f]{16}"));
        client.get().uri("/telemetry/Nope").exchange()
                .expectHeader().value("X-Request-Id", id -> assertThat(id).matches("[0-9a-f]{16}"));
    }

    @Test
    void fabricExportIsPrometheusTextOfTheCurrentSnapshot() {
        client.get().uri("/telemetry/prometheus").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType("text/plain;version=0.0.4;charset=utf-8")
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("fabric_bandwidth_bytes_per_second{switch=\"sw-0001\"} 3.90625E10")
                        .contains("fabric_packet_errors_total{switch=\"sw-0002\"} 4.0")
                        .doesNotContain("fabric_latency_seconds{switch=\"sw-0002\"}"));
    }

    @Test
    void fabricExportAnswersForColumnsWhoseNamesTheClientLibraryReservesOrCannotUse() throws Exception {
        // the column set of issue 9, plus columns that collapse to one name; CI runs promtool on the file
        List<String> columns = List.of("bandwidth_gbps", "crc_errors_total", "port_info", "fan-speed rpm",
                "crc_errors", "queue.depth", "queue_depth", "température", "temp rature", "x_created", "x_bucket");
        long[] values = new long[2 * columns.size()];
        byte[] kinds = new byte[values.length];
        java.util.Arrays.fill(values, 7);
        java.util.Arrays.fill(kinds, CellKind.INTEGER);
        store.publish(Table.of(columns, List.of("sw-0001", "sw-0002"), values, kinds, 0, 0), Instant.now(),
                Instant.now(), null);

        String body = client.get().uri("/telemetry/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).contains("fabric_crc_errors{switch=\"sw-0001\"} 7.0\n")
                .contains("fabric_port{switch=\"sw-0002\"} 7.0\n")
                .contains("fabric_fan_speed_rpm{switch=\"sw-0001\"} 7.0\n")
                .contains("fabric_queue_depth{switch=\"sw-0001\"} 7.0\n")
                .contains("fabric_temp_rature{switch=\"sw-0001\"} 7.0\n")
                .contains("fabric_x{switch=\"sw-0001\"} 7.0\n");
        assertThat(body.lines().filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" ")[2]))
                .doesNotHaveDuplicates();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "fabric-export-columns.prom"), body);
    }

    @Test
    void carriedOverSwitchOlderThanStaleAfterAnswersNullWithTheSampledAtOfItsLastGoodRowAndLeavesTheExport() {
        List<String> metrics = List.of("latency_us");
        byte[] integers = {CellKind.INTEGER, CellKind.INTEGER};
        Instant lastGood = Instant.now().minus(Duration.ofHours(3)); // stale.after is 2 h here
        store.publish(Table.of(metrics, List.of("sw-0001", "sw-0002"), new long[] {5, 6}, integers, 0, 0),
                lastGood, lastGood, null);
        store.publish(Table.of(metrics, List.of("sw-0001"), new long[] {7}, new byte[] {CellKind.INTEGER}, 1, 0,
                List.of(new Table.Damaged("sw-0002", 1))), Instant.now(), Instant.now(), null);

        client.get().uri("/telemetry/GetMetric?switch=sw-0002&metric=latency_us").exchange()
                .expectStatus().isOk()
                .expectHeader().value(TelemetryAnswer.DATA_AGE, age -> assertThat(Long.parseLong(age))
                        .isGreaterThanOrEqualTo(Duration.ofHours(3).toMillis()))
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("\"value\":null,")
                        .contains("\"sampledAt\":\"" + iso(lastGood) + "\""));
        client.get().uri("/telemetry/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("fabric_latency_seconds{switch=\"sw-0001\"}")
                        .doesNotContain("sw-0002"));
    }

    @Test
    void actuatorPrometheusShowsIngestionAndRouteTaggedRequestMetrics() {
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").exchange().expectStatus().isOk();
        // the one poll of this context (at startup, one hour apart) met a closed port: refused, or
        // cut at the 1 s timeout when a cold JVM on a loaded machine takes longer to try; counters
        // for every outcome exist from the start at 0, so only a count of 1 shows that a poll was recorded
        await().atMost(Duration.ofSeconds(20)).until(() -> tracker.status().lastPollAt() != null);
        String outcome = tracker.status().lastOutcome().tag();
        assertThat(outcome).isIn("connect_error", "timeout");
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("fabric_ingest_polls_total{outcome=\"" + outcome + "\"} 1.0")
                        .contains("fabric_ingest_polls_total{outcome=\"success\"} 0.0")
                        .contains("fabric_ingest_poll_duration_seconds_count 1")
                        .contains("fabric_ingest_poll_duration_seconds_bucket")
                        .contains("fabric_snapshot_switches 2.0")
                        .containsPattern("http_server_requests_seconds_bucket\\{.*uri=\"/telemetry/GetMetric\"")
                        .doesNotContain("sw-0001"));
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() {
        client.get().uri("/actuator/info").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.build.version").exists().jsonPath("$.build.time").exists();
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        client.get().uri("/actuator/env").exchange().expectStatus().isNotFound();
        client.get().uri("/actuator/configprops").exchange().expectStatus().isNotFound();
    }
}
