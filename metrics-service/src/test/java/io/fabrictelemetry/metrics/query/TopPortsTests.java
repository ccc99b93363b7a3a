package io.fabrictelemetry.metrics.query;

import static io.fabrictelemetry.metrics.query.PortFabric.A;
import static io.fabrictelemetry.metrics.query.PortFabric.B;
import static io.fabrictelemetry.metrics.query.PortFabric.C;
import static io.fabrictelemetry.metrics.query.PortFabric.CBW;
import static io.fabrictelemetry.metrics.query.PortFabric.D;
import static io.fabrictelemetry.metrics.query.PortFabric.E;
import static io.fabrictelemetry.metrics.query.PortFabric.PCK_IN;
import static io.fabrictelemetry.metrics.query.PortFabric.SYMBOL_ERRORS;
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
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * {@code TopPorts} over {@link PortFabric}: ranking across every switch's ports, ties in the source's
 * order, nulls never listed, TopSwitches' parameter rules and headers; {@code …:no-ports} on switch
 * rows. And TopSwitches on port rows, which ranks the switches' aggregates.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class TopPortsTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    static final String PROBLEM = "application/problem+json";

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    PortFabric fabric;

    @BeforeEach
    void publish() {
        fabric = PortFabric.publish(store);
    }

    private WebTestClient.ResponseSpec get(String query) {
        return client.get().uri("/telemetry/TopPorts?" + query).exchange();
    }

    private static String port(String guid, int port, String description, String value) {
        return "{\"switch\":\"" + guid + "\",\"port\":" + port
                + (description == null ? "" : ",\"description\":\"" + description + "\"") + ",\"value\":" + value + "}";
    }

    @Test
    void highestValuesFirstByDefaultWithTiesInTheSourcesOrderAndNullsLeftOut() {
        get("metric=" + SYMBOL_ERRORS)
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo("{\"metric\":\"" + SYMBOL_ERRORS + "\",\"order\":\"desc\",\"limit\":10,"
                        + "\"sequence\":" + fabric.snapshot.sequence() + ",\"sampledAt\":\"" + fabric.iso(fabric.sampledAt)
                        + "\",\"collectedAt\":\"" + fabric.collectedAt() + "\",\"ports\":["
                        // A's port 23 comes before B's port 1 in the source: first of the two 18s
                        + port(A, 23, "leaf-01", "18") + "," + port(B, 1, "spine-01", "18") + ","
                        + port(A, 2, "leaf-01", "3") + "," + port(E, 1, "spine-x", "2") + ","
                        + port(C, 5, null, "1") + "," + port(A, 1, "leaf-01", "0") + ","
                        + port(D, 1, "spine-x", "0") + "]}");
    }

    @Test
    void ascendingOrderAndLimitCutTheList() {
        get("metric=" + SYMBOL_ERRORS + "&order=asc&limit=3")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.order").isEqualTo("asc")
                .jsonPath("$.limit").isEqualTo(3)
                .jsonPath("$.ports[*].switch").isEqualTo(List.of(A, D, C))
                .jsonPath("$.ports[*].port").isEqualTo(List.of(1, 1, 5));
        get("metric=" + CBW + "&limit=2")
                .expectBody(String.class).value(body -> assertThat(body)
                        .endsWith("\"ports\":[" + port(A, 2, "leaf-01", "12.5") + "," + port(B, 1, "spine-01", "3.0") + "]}"));
        get("metric=" + CBW + "&order=asc&limit=1")
                .expectBody(String.class).value(body -> assertThat(body)
                        .endsWith("\"ports\":[" + port(A, 1, "leaf-01", "5.48295E-7") + "]}"));
    }

    @Test
    void portsWithoutAValueAreNeverListed() {
        get("metric=" + PCK_IN + "&limit=1000")
                .expectBody()
                .jsonPath("$.ports.length()").isEqualTo(7)
                .jsonPath("$.limit").isEqualTo(1000);
        get("metric=" + SYMBOL_ERRORS + "&order=asc&limit=1000")
                .expectBody().jsonPath("$.ports.length()").isEqualTo(7);
    }

    @Test
    void parametersFollowTopSwitchesRules() {
        for (String limit : List.of("0", "1001", "-1", "abc", "", "2.5")) {
            get("metric=" + SYMBOL_ERRORS + "&limit=" + limit)
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(PROBLEM)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-parameter")
                    .jsonPath("$.detail").isEqualTo("query parameter 'limit' must be an integer from 1 to 1000, but was '"
                            + limit + "'");
        }
        get("metric=" + SYMBOL_ERRORS + "&order=up")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-parameter");
        get("metric=" + SYMBOL_ERRORS + "&limit=2&limit=3")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:repeated-parameter");
        get("limit=3")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:missing-parameter");
        get("metric=jitter")
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-metric")
                .jsonPath("$.validMetrics").value(metrics -> assertThat(metrics.toString()).contains(SYMBOL_ERRORS));
    }

    @Test
    void answersCarryTheSnapshotEtagAndMatchIsNotModifiedAndHeadHasNoBody() {
        get("metric=" + SYMBOL_ERRORS)
                .expectHeader().valueEquals("ETag", fabric.snapshot.etag())
                .expectHeader().valueEquals("Cache-Control", "no-cache")
                .expectHeader().value("X-Data-Age-Ms", age -> assertThat(Long.parseLong(age)).isGreaterThanOrEqualTo(1500));
        client.get().uri("/telemetry/TopPorts?metric=" + SYMBOL_ERRORS).header("If-None-Match", fabric.snapshot.etag())
                .exchange()
                .expectStatus().isNotModified()
                .expectBody().isEmpty();
        client.head().uri("/telemetry/TopPorts?metric=" + SYMBOL_ERRORS).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("ETag", fabric.snapshot.etag())
                .expectBody().isEmpty();
        client.method(HttpMethod.POST).uri("/telemetry/TopPorts?metric=" + SYMBOL_ERRORS).exchange()
                .expectStatus().isEqualTo(405);
        client.options().uri("/telemetry/TopPorts").exchange()
                .expectStatus().isNoContent()
                .expectHeader().value("Allow", allow -> assertThat(allow).contains("GET", "HEAD", "OPTIONS"));
    }

    @Test
    void aSnapshotOfSwitchRowsHasNoPorts() {
        store.publish(Table.of(List.of("packet_errors"), List.of("sw-1"), new long[] {3}, new byte[] {CellKind.INTEGER},
                0, 0), Instant.now(), Instant.now(), "\"g-2\"");
        for (String query : List.of("metric=packet_errors", "metric=nope")) {
            get(query)
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(PROBLEM)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:no-ports")
                    .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("switch rows"));
        }
        // the parameters are still checked first
        get("metric=packet_errors&limit=0").expectStatus().isBadRequest();
    }

    @Test
    void aNewSnapshotIsRankedAfresh() {
        get("metric=" + SYMBOL_ERRORS + "&limit=1").expectBody().jsonPath("$.ports[0].port").isEqualTo(23);
        Instant now = Instant.now();
        store.publish(PortFabric.table(PortFabric.csv(now, now)
                .replace(",23,leaf-01,,18,", ",23,leaf-01,,1,")), now, now, null);
        get("metric=" + SYMBOL_ERRORS + "&limit=1").expectBody()
                .jsonPath("$.ports[0].switch").isEqualTo(B)
                .jsonPath("$.ports[0].port").isEqualTo(1);
    }

    @Test
    void topSwitchesOnPortRowsRanksTheSwitchesAggregates() {
        client.get().uri("/telemetry/TopSwitches?metric=" + SYMBOL_ERRORS).exchange()
                .expectStatus().isOk()
                .expectBody()
                // sums: A 0+3+18, B 18, E 2, C 1, D 0
                .jsonPath("$.switches[*].switch").isEqualTo(List.of(A, B, E, C, D))
                .jsonPath("$.switches[*].value").isEqualTo(List.of(21, 18, 2, 1, 0));
        client.get().uri("/telemetry/TopSwitches?metric=" + CBW + "&limit=2").exchange()
                .expectBody()
                // maxima: A 12.5, B 3.0
                .jsonPath("$.switches[*].switch").isEqualTo(List.of(A, B))
                .jsonPath("$.switches[*].value").isEqualTo(List.of(12.5, 3.0));
    }

    @Test
    void topSwitchesOnPortRowsNamesEachSwitchsDescriptionAsTopPortsDoes() {
        client.get().uri("/telemetry/TopSwitches?metric=" + SYMBOL_ERRORS).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"metric\":\"" + SYMBOL_ERRORS + "\",\"order\":\"desc\",\"limit\":10,"
                        + "\"sequence\":" + fabric.snapshot.sequence() + ",\"sampledAt\":\"" + fabric.iso(fabric.sampledAt)
                        + "\",\"collectedAt\":\"" + fabric.collectedAt() + "\",\"switches\":["
                        // C has no node_description: no key, as in TopPorts
                        + aggregate(A, "leaf-01", "21") + "," + aggregate(B, "spine-01", "18") + ","
                        + aggregate(E, "spine-x", "2") + "," + aggregate(C, null, "1") + ","
                        + aggregate(D, "spine-x", "0") + "]}");
    }

    private static String aggregate(String guid, String description, String value) {
        return "{\"switch\":\"" + guid + "\""
                + (description == null ? "" : ",\"description\":\"" + description + "\"") + ",\"value\":" + value + "}";
    }
}
