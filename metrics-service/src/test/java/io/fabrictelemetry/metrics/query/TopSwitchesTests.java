package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/** {@code TopSwitches}: ranking, ties, nulls, limits, errors and headers, over a snapshot the test publishes. */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "metrics.counters="})
@AutoConfigureWebTestClient
class TopSwitchesTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    static final String PROBLEM = "application/problem+json";

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    Snapshot snapshot;

    /**
     * latency_us: sw-1 2.5, sw-2 none, sw-3 7.25, sw-4 2.5, sw-5 0.5, sw-6 7.25 (two ties, one gap);
     * packet_errors: integers; link_state: none at all.
     */
    @BeforeEach
    void publish() {
        double[] latency = {2.5, Double.NaN, 7.25, 2.5, 0.5, 7.25};
        long[] errors = {3, 40, 0, 12, 40, 1};
        String[] ids = {"sw-1", "sw-2", "sw-3", "sw-4", "sw-5", "sw-6"};
        long[] cells = new long[ids.length * 3];
        byte[] kinds = new byte[ids.length * 3];
        for (int row = 0; row < ids.length; row++) {
            boolean none = Double.isNaN(latency[row]);
            cells[row * 3] = none ? 0 : Double.doubleToRawLongBits(latency[row]);
            kinds[row * 3] = none ? CellKind.NONE : CellKind.DECIMAL;
            cells[row * 3 + 1] = errors[row];
            kinds[row * 3 + 1] = CellKind.INTEGER;
            kinds[row * 3 + 2] = CellKind.NONE;
        }
        snapshot = store.publish(
                Table.of(List.of("latency_us", "packet_errors", "link_state"), List.of(ids), cells, kinds, 0, 0),
                Instant.now().minusMillis(1500), Instant.now(), "\"g-1\"");
    }

    private WebTestClient.ResponseSpec get(String query) {
        return client.get().uri("/telemetry/TopSwitches?" + query).exchange();
    }

    @Test
    void highestValuesFirstByDefaultWithTiesInTheGeneratorsOrder() {
        get("metric=latency_us")
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo("{\"metric\":\"latency_us\",\"order\":\"desc\",\"limit\":10,"
                        + "\"sequence\":" + snapshot.sequence() + ",\"sampledAt\":\"" + TimeFormat.iso(snapshot.sampledAt())
                        + "\",\"collectedAt\":\"" + TimeFormat.iso(snapshot.collectedAt()) + "\",\"switches\":["
                        + "{\"switch\":\"sw-3\",\"value\":7.25},{\"switch\":\"sw-6\",\"value\":7.25},"
                        + "{\"switch\":\"sw-1\",\"value\":2.5},{\"switch\":\"sw-4\",\"value\":2.5},"
                        + "{\"switch\":\"sw-5\",\"value\":0.5}]}");
    }

    @Test
    void ascendingOrderKeepsTiesInTheGeneratorsOrderToo() {
        get("metric=latency_us&order=asc")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.order").isEqualTo("asc")
                .jsonPath("$.switches[*].switch").isEqualTo(List.of("sw-5", "sw-1", "sw-4", "sw-3", "sw-6"));
    }

    @Test
    void limitCutsTheListAndIntegersStayIntegers() {
        get("metric=packet_errors&limit=3")
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("\"limit\":3")
                        .endsWith("\"switches\":[{\"switch\":\"sw-2\",\"value\":40},{\"switch\":\"sw-5\",\"value\":40},"
                                + "{\"switch\":\"sw-4\",\"value\":12}]}"));
        get("metric=packet_errors&limit=1&order=asc")
                .expectBody().jsonPath("$.switches[*].switch").isEqualTo(List.of("sw-3"));
    }

    @Test
    void switchesWithoutAValueAreNeverListed() {
        get("metric=latency_us&limit=1000")
                .expectBody().jsonPath("$.switches.length()").isEqualTo(5)
                .jsonPath("$.limit").isEqualTo(1000);
        get("metric=link_state")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.switches.length()").isEqualTo(0);
    }

    @Test
    void limitOutsideOneToAThousandIsAnInvalidParameter() {
        for (String limit : List.of("0", "1001", "-1", "abc", "", "2.5", "1e2", "5x", "99999999999")) {
            get("metric=latency_us&limit=" + limit)
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(PROBLEM)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-parameter")
                    .jsonPath("$.detail").isEqualTo("query parameter 'limit' must be an integer from 1 to 1000, but was '"
                            + limit + "'");
        }
    }

    @Test
    void orderOtherThanDescOrAscIsAnInvalidParameter() {
        for (String order : List.of("DESC", "up", "")) {
            get("metric=latency_us&order=" + order)
                    .expectStatus().isBadRequest()
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-parameter")
                    .jsonPath("$.detail").isEqualTo("query parameter 'order' must be 'desc' or 'asc', but was '" + order + "'");
        }
    }

    @Test
    void repeatedLimitIsABadRequest() {
        get("metric=latency_us&limit=2&limit=3")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:repeated-parameter");
    }

    @Test
    void metricIsRequired() {
        for (String query : List.of("limit=3", "metric=")) {
            get(query)
                    .expectStatus().isBadRequest()
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:missing-parameter")
                    .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("'metric'"));
        }
    }

    @Test
    void unknownMetricIsNotFoundWithTheValidMetrics() {
        get("metric=jitter")
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-metric")
                .jsonPath("$.detail").isEqualTo("metric 'jitter' is not in the current snapshot")
                .jsonPath("$.validMetrics").isEqualTo(List.of("latency_us", "packet_errors", "link_state"));
    }

    @Test
    void answersCarryTheSnapshotEtagDataAgeAndNoCacheAndMatchIsNotModified() {
        get("metric=latency_us")
                .expectHeader().valueEquals("ETag", snapshot.etag())
                .expectHeader().valueEquals("Cache-Control", "no-cache")
                .expectHeader().value("X-Data-Age-Ms", age -> assertThat(Long.parseLong(age))
                        .isGreaterThanOrEqualTo(1500).isLessThan(60_000));
        client.get().uri("/telemetry/TopSwitches?metric=latency_us").header("If-None-Match", snapshot.etag()).exchange()
                .expectStatus().isNotModified()
                .expectBody().isEmpty();
        client.head().uri("/telemetry/TopSwitches?metric=latency_us").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", snapshot.etag())
                .expectBody().isEmpty();
    }

    @Test
    void aNewSnapshotIsRankedAfresh() {
        get("metric=packet_errors&limit=1").expectBody().jsonPath("$.switches[0].switch").isEqualTo("sw-2");
        long[] cells = {1, 99};
        snapshot = store.publish(Table.of(List.of("packet_errors"), List.of("sw-2", "sw-7"), cells,
                new byte[] {CellKind.INTEGER, CellKind.INTEGER}, 0, 0), Instant.now(), Instant.now(), "\"g-2\"");
        get("metric=packet_errors&limit=1").expectBody().jsonPath("$.switches[0].switch").isEqualTo("sw-7");
    }

    @Test
    void otherMethodsAreNotAllowedAndOptionsListsTheAllowedOnes() {
        client.method(HttpMethod.POST).uri("/telemetry/TopSwitches?metric=latency_us").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().value("Allow", allow -> assertThat(allow).contains("GET", "HEAD"));
        client.options().uri("/telemetry/TopSwitches").exchange()
                .expectStatus().isNoContent();
    }
}
