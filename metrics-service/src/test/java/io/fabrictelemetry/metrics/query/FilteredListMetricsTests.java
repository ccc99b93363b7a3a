package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * {@code ListMetrics?switch=&metric=}: the filtered answer's shape, order, errors and its own
 * representation (ETag, 304, gzip, HEAD), over snapshots the test publishes itself.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "metrics.counters="})
@AutoConfigureWebTestClient
class FilteredListMetricsTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    static final String PROBLEM = "application/problem+json";
    static final List<String> METRICS = List.of("bandwidth_gbps", "packet_errors", "latency_us");

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    Snapshot snapshot;

    @BeforeEach
    void publish() {
        snapshot = store.publish(table(List.of()), Instant.now().minusMillis(1500), Instant.now(), "\"g-1\"");
    }

    /** Three switches; {@code damaged} rows are left out and carried over from the previous snapshot. */
    static Table table(List<String> damaged) {
        List<String> ids = List.of("sw-0001", "sw-0002", "sw-0003");
        List<Long> cells = List.of(Double.doubleToRawLongBits(312.5), 17L, Double.doubleToRawLongBits(1.37),
                Double.doubleToRawLongBits(0.0), 4L, 0L,
                Double.doubleToRawLongBits(120.25), 9L, Double.doubleToRawLongBits(2.5));
        List<Byte> kinds = List.of(CellKind.DECIMAL, CellKind.INTEGER, CellKind.DECIMAL, CellKind.DECIMAL,
                CellKind.INTEGER, CellKind.NONE, CellKind.DECIMAL, CellKind.INTEGER, CellKind.DECIMAL);
        List<String> kept = ids.stream().filter(id -> !damaged.contains(id)).toList();
        long[] keptCells = new long[kept.size() * 3];
        byte[] keptKinds = new byte[kept.size() * 3];
        int out = 0;
        for (int row = 0; row < ids.size(); row++) {
            if (!damaged.contains(ids.get(row))) {
                for (int c = 0; c < 3; c++) {
                    keptCells[out * 3 + c] = cells.get(row * 3 + c);
                    keptKinds[out * 3 + c] = kinds.get(row * 3 + c);
                }
                out++;
            }
        }
        List<Table.Damaged> damagedRows = damaged.stream()
                .map(id -> new Table.Damaged(id, ids.indexOf(id))).toList();
        return Table.of(METRICS, kept, keptCells, keptKinds, damaged.size(), 0, damagedRows);
    }

    private WebTestClient.ResponseSpec get(String query) {
        return client.get().uri("/telemetry/ListMetrics?" + query).exchange();
    }

    private String etagOf(String query) {
        return get(query).expectStatus().isOk().returnResult(String.class).getResponseHeaders().getETag();
    }

    @Test
    void filterHoldsOnlyTheNamedSwitchesAndMetricsInTheGeneratorsOrder() {
        get("switch=sw-0003,sw-0001&metric=latency_us&metric=bandwidth_gbps")
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo("{\"sequence\":" + snapshot.sequence()
                        + ",\"sampledAt\":\"" + TimeFormat.iso(snapshot.sampledAt())
                        + "\",\"collectedAt\":\"" + TimeFormat.iso(snapshot.collectedAt()) + "\","
                        + "\"metrics\":[\"bandwidth_gbps\",\"latency_us\"],"
                        + "\"switches\":{\"sw-0001\":{\"bandwidth_gbps\":312.5,\"latency_us\":1.37},"
                        + "\"sw-0003\":{\"bandwidth_gbps\":120.25,\"latency_us\":2.5}}}");
    }

    @Test
    void switchFilterAloneKeepsEveryMetricAndMetricFilterAloneEverySwitch() {
        get("switch=sw-0002")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.metrics").isEqualTo(METRICS)
                .jsonPath("$.switches.length()").isEqualTo(1)
                .jsonPath("$.switches['sw-0002'].packet_errors").isEqualTo(4)
                .jsonPath("$.switches['sw-0002'].latency_us").value(v -> assertThat(v).isNull());
        get("metric=packet_errors")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.metrics").isEqualTo(List.of("packet_errors"))
                .jsonPath("$.switches.length()").isEqualTo(3)
                .jsonPath("$.switches['sw-0003'].length()").isEqualTo(1)
                .jsonPath("$.switches['sw-0003'].packet_errors").isEqualTo(9);
    }

    @Test
    void repeatedNamesCountOnce() {
        get("switch=sw-0001,sw-0001&switch=sw-0001&metric=packet_errors,packet_errors")
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("\"metrics\":[\"packet_errors\"],\"switches\":{\"sw-0001\":{\"packet_errors\":17}}}"));
    }

    @Test
    void sameSelectionHasTheSameEtagHoweverTheQueryWritesIt() {
        String etag = etagOf("switch=sw-0001,sw-0003&metric=latency_us");
        assertThat(etagOf("switch=sw-0003&metric=latency_us&switch=sw-0001")).isEqualTo(etag);
        assertThat(etagOf("metric=latency_us&switch=sw-0003,sw-0001,sw-0003")).isEqualTo(etag);
        assertThat(etag).matches("\"[^\"]+\"").startsWith(snapshot.etag().substring(0, snapshot.etag().length() - 1));

        assertThat(etagOf("switch=sw-0001&metric=latency_us")).isNotEqualTo(etag);
        assertThat(etagOf("switch=sw-0001,sw-0003&metric=latency_us,packet_errors")).isNotEqualTo(etag);
        assertThat(etagOf("switch=sw-0001,sw-0003")).isNotEqualTo(etag);
        assertThat(etagOf("metric=latency_us")).isNotEqualTo(etag);
        assertThat(etag).isNotEqualTo(snapshot.etag());

        publish();
        assertThat(etagOf("switch=sw-0001,sw-0003&metric=latency_us")).isNotEqualTo(etag);
    }

    @Test
    void matchingIfNoneMatchIsNotModifiedAndAnOlderSnapshotsTagIsNot() {
        String etag = etagOf("switch=sw-0002&metric=packet_errors");
        client.get().uri("/telemetry/ListMetrics?metric=packet_errors&switch=sw-0002").header("If-None-Match", etag)
                .exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals("ETag", etag)
                .expectBody().isEmpty();
        // the unfiltered representation's tag does not validate a filtered one
        client.get().uri("/telemetry/ListMetrics?switch=sw-0002&metric=packet_errors")
                .header("If-None-Match", snapshot.etag()).exchange()
                .expectStatus().isOk();
        publish();
        client.get().uri("/telemetry/ListMetrics?switch=sw-0002&metric=packet_errors").header("If-None-Match", etag)
                .exchange()
                .expectStatus().isOk();
    }

    @Test
    void filteredAnswerCarriesDataAgeNoCacheAndVary() {
        get("switch=sw-0001")
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-cache")
                .expectHeader().valueEquals("Vary", "Accept-Encoding")
                .expectHeader().value("X-Data-Age-Ms", age -> assertThat(Long.parseLong(age))
                        .isGreaterThanOrEqualTo(1500).isLessThan(60_000));
    }

    @Test
    void gzipRequestGetsTheFilteredBodyCompressedUnderItsOwnEtag() throws Exception {
        var plain = get("switch=sw-0001&metric=latency_us").expectBody().returnResult();
        var gzipped = client.get().uri("/telemetry/ListMetrics?switch=sw-0001&metric=latency_us")
                .header("Accept-Encoding", "gzip").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Content-Encoding", "gzip")
                .expectHeader().valueEquals("Vary", "Accept-Encoding")
                .expectBody().returnResult();
        String etag = gzipped.getResponseHeaders().getETag();
        assertThat(etag).isNotEqualTo(plain.getResponseHeaders().getETag()).endsWith("-gzip\"");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gzipped.getResponseBody()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain.getResponseBody());
        }
        client.get().uri("/telemetry/ListMetrics?switch=sw-0001&metric=latency_us")
                .header("Accept-Encoding", "gzip").header("If-None-Match", etag).exchange()
                .expectStatus().isNotModified()
                .expectBody().isEmpty();
    }

    /**
     * {@code Accept-Encoding} weights are case-insensitive: {@code gzip;Q=0} refuses gzip as
     * {@code gzip;q=0} does, for every answer that can be compressed: the whole snapshot, a small
     * filtered answer, and one large enough (over 20,000 values) to be encoded off the event loop.
     */
    @Test
    void gzipWithAWeightOfZeroInAnyCaseIsRefusedByEveryAnswerThatCanCompress() {
        int switches = 7_000; // 21,000 values
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < switches; i++) {
            ids.add("sw-" + i);
        }
        byte[] kinds = new byte[switches * 3];
        java.util.Arrays.fill(kinds, CellKind.INTEGER);
        store.publish(Table.of(METRICS, ids, new long[switches * 3], kinds, 0, 0), Instant.now().minusMillis(500),
                Instant.now(), "\"g-big\"");
        WebTestClient client = this.client.mutate()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 << 20)).build();
        List<String> targets = List.of("/telemetry/ListMetrics", "/telemetry/ListMetrics?switch=sw-1",
                "/telemetry/ListMetrics?metric=bandwidth_gbps,packet_errors,latency_us");
        for (String target : targets) {
            for (String refusal : List.of("gzip;q=0", "gzip;Q=0", "GZIP;Q=0.0", "gzip ; Q = 0", "br, gzip;Q=0.000, identity")) {
                client.get().uri(target).header("Accept-Encoding", refusal).exchange()
                        .expectStatus().isOk()
                        .expectHeader().doesNotExist("Content-Encoding")
                        .expectHeader().value("ETag", etag -> assertThat(etag).as("%s with %s", target, refusal)
                                .doesNotEndWith("-gzip\""));
            }
            for (String acceptance : List.of("gzip", "GZIP;Q=0.5", "gzip;Q=1", "identity;Q=0, Gzip")) {
                client.get().uri(target).header("Accept-Encoding", acceptance).exchange()
                        .expectStatus().isOk()
                        .expectHeader().valueEquals("Content-Encoding", "gzip")
                        .expectHeader().value("ETag", etag -> assertThat(etag).as("%s with %s", target, acceptance)
                                .endsWith("-gzip\""));
            }
        }
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        String etag = etagOf("switch=sw-0001");
        client.head().uri("/telemetry/ListMetrics?switch=sw-0001").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", etag)
                .expectBody().isEmpty();
    }

    @Test
    void carriedOverListsOnlyTheSelectedSwitchesThatAreCarried() {
        Instant previousSampledAt = snapshot.sampledAt();
        snapshot = store.publish(table(List.of("sw-0002")), Instant.now(), Instant.now(), "\"g-2\"");
        get("switch=sw-0002,sw-0003")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.carriedOver.length()").isEqualTo(1)
                .jsonPath("$.carriedOver['sw-0002']").isEqualTo(TimeFormat.iso(previousSampledAt))
                .jsonPath("$.switches['sw-0002'].packet_errors").isEqualTo(4);
        get("switch=sw-0001,sw-0003")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.carriedOver").doesNotExist();
    }

    @Test
    void unknownSwitchIsNotFoundNamingIt() {
        get("switch=sw-0001,sw-0404&metric=latency_us")
                .expectStatus().isNotFound()
                .expectHeader().contentType(PROBLEM)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-switch")
                .jsonPath("$.detail").isEqualTo("switch 'sw-0404' is not in the current snapshot");
        get("switch=sw-0404,sw-0001,sw-0405")
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("switches 'sw-0404', 'sw-0405' are not in the current snapshot");
    }

    @Test
    void unknownMetricIsNotFoundWithTheValidMetrics() {
        get("switch=sw-0001&metric=latency_us,jitter")
                .expectStatus().isNotFound()
                .expectHeader().contentType(PROBLEM)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-metric")
                .jsonPath("$.detail").isEqualTo("metric 'jitter' is not in the current snapshot")
                .jsonPath("$.validMetrics").isEqualTo(METRICS);
    }

    @Test
    void emptyNameIsABadRequestNamingTheParameterAndValue() {
        for (String query : List.of("switch=", "switch=sw-0001,", "metric=latency_us,,packet_errors",
                "switch=sw-0001&switch=", "switch", "metric", "metric=latency_us&switch=sw-0001&metric")) {
            get(query)
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(PROBLEM)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:missing-parameter")
                    .jsonPath("$.detail").value(detail -> assertThat(detail.toString())
                            .contains(query.startsWith("switch") ? "'switch'" : "'metric'")
                            .contains("empty name"));
        }
        client.get().uri(uri -> uri.path("/telemetry/ListMetrics").queryParam("metric", "latency_us, ").build())
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:missing-parameter");
        get("metric=latency_us,,packet_errors").expectBody()
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("'latency_us,,packet_errors'"));
    }

    @Test
    void overLongNameIsABadRequestThatDoesNotEchoIt() {
        String longName = "x".repeat(257);
        get("switch=sw-0001," + longName)
                .expectStatus().isBadRequest()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("parameter-too-long").contains("'switch'").doesNotContain(longName));
    }

    @Test
    void unfilteredAnswerStaysThePreEncodedOne() {
        client.get().uri("/telemetry/ListMetrics?other=1").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", snapshot.etag())
                .expectBody().consumeWith(result -> assertThat(result.getResponseBody())
                        .isEqualTo(snapshot.listMetricsJson()));
    }
}
