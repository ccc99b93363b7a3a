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

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * ListMetrics on port rows filtered by {@code switch=}/{@code metric=}: {@code switches},
 * {@code ports} and {@code descriptions} are filtered alike, each exactly the whole body's entries
 * for the named switches and metrics, in the source's order; a switch named several ways
 * (GUID in another case, description) is listed once, under one ETag.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class FilteredPortListMetricsTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    PortFabric fabric;

    @BeforeEach
    void publish() {
        fabric = PortFabric.publish(store);
    }

    private String body(String query) {
        return client.get().uri("/telemetry/ListMetrics" + (query.isEmpty() ? "" : "?" + query)).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private String etag(String query) {
        return client.get().uri("/telemetry/ListMetrics?" + query).exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseHeaders().getETag();
    }

    /**
     * The whole body with only {@code switches} (GUIDs, null: all) and {@code metrics} (null: all)
     * left, as a filtered body must read: every object in the whole body's order, {@code descriptions}
     * absent when none of the listed switches has one.
     */
    static String restricted(String whole, Set<String> switches, Set<String> metrics) {
        ObjectNode body = (ObjectNode) JSON.readTree(whole);
        if (metrics != null) {
            var kept = JSON.createArrayNode();
            body.get("metrics").forEach(name -> {
                if (metrics.contains(name.asString())) {
                    kept.add(name);
                }
            });
            body.set("metrics", kept);
        }
        for (String field : List.of("switches", "ports", "descriptions", "carriedOver")) {
            if (!body.has(field)) {
                continue;
            }
            ObjectNode bySwitch = (ObjectNode) body.get(field);
            for (String id : List.copyOf(bySwitch.propertyNames())) {
                if (switches != null && !switches.contains(id)) {
                    bySwitch.remove(id);
                } else if (field.equals("switches")) {
                    keepMetrics((ObjectNode) bySwitch.get(id), metrics);
                } else if (field.equals("ports")) {
                    bySwitch.get(id).forEach(values -> keepMetrics((ObjectNode) values, metrics));
                }
            }
            if (bySwitch.isEmpty() && !field.equals("switches") && !field.equals("ports")) {
                body.remove(field);
            }
        }
        return body.toString();
    }

    private static void keepMetrics(ObjectNode values, Set<String> metrics) {
        if (metrics != null) {
            for (String name : List.copyOf(values.propertyNames())) {
                if (!metrics.contains(name)) {
                    values.remove(name);
                }
            }
        }
    }

    private static Set<String> set(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }

    @Test
    void aSwitchAndMetricFilterHoldsThoseSwitchesPortsAndDescriptionsOnly() {
        String body = body("switch=leaf-01&metric=" + CBW + "," + SYMBOL_ERRORS);
        JsonNode json = JSON.readTree(body);
        assertThat(json.get("metrics").toString()).isEqualTo("[\"" + SYMBOL_ERRORS + "\",\"" + CBW + "\"]");
        assertThat(json.get("switches").toString())
                .isEqualTo("{\"" + A + "\":{\"" + SYMBOL_ERRORS + "\":21,\"" + CBW + "\":12.5}}");
        assertThat(json.get("ports").toString()).isEqualTo("{\"" + A + "\":{"
                + "\"1\":{\"" + SYMBOL_ERRORS + "\":0,\"" + CBW + "\":5.48295E-7},"
                + "\"2\":{\"" + SYMBOL_ERRORS + "\":3,\"" + CBW + "\":12.5},"
                + "\"23\":{\"" + SYMBOL_ERRORS + "\":18,\"" + CBW + "\":null}}}");
        assertThat(json.get("descriptions").toString()).isEqualTo("{\"" + A + "\":\"leaf-01\"}");
        assertThat(json.toString()).isEqualTo(restricted(body(""), set(A), set(SYMBOL_ERRORS, CBW)));
    }

    @Test
    void everyFilterIsTheWholeBodyRestrictedToItsSwitchesAndMetrics() {
        String whole = body("");
        assertThat(JSON.readTree(whole).get("ports").propertyNames()).containsExactly(A, B, C, D, E);
        record Case(String query, Set<String> switches, Set<String> metrics) {
        }
        for (Case c : List.of(
                new Case("switch=" + B, set(B), null),
                new Case("switch=" + E + "," + A, set(A, E), null),
                new Case("metric=" + PCK_IN, null, set(PCK_IN)),
                new Case("metric=" + SYMBOL_ERRORS + "_per_second&metric=" + CBW, null, set(CBW, SYMBOL_ERRORS + "_per_second")),
                new Case("switch=" + B.toLowerCase() + "&metric=" + SYMBOL_ERRORS, set(B), set(SYMBOL_ERRORS)),
                new Case("switch=spine-01," + C + "&metric=" + PCK_IN, set(B, C), set(PCK_IN)))) {
            // both read and written by Jackson: the same values whatever their text (ValueTextTests hold the text)
            assertThat(JSON.readTree(body(c.query())).toString()).as(c.query())
                    .isEqualTo(restricted(whole, c.switches(), c.metrics()));
        }
    }

    @Test
    void descriptionsAreLeftOutWhenNoListedSwitchHasOne() {
        String body = body("switch=" + C);
        assertThat(body).doesNotContain("descriptions").contains("\"ports\":{\"" + C + "\":{\"5\":{");
    }

    @Test
    void aSwitchNamedSeveralWaysIsListedOnceUnderOneEtag() {
        String once = body("switch=" + B);
        for (String query : List.of("switch=" + B + "," + B.toLowerCase(), "switch=spine-01&switch=" + B,
                "switch=0X0002C90300D4E5F6,spine-01")) {
            assertThat(body(query)).as(query).isEqualTo(once);
            assertThat(etag(query)).as(query).isEqualTo(etag("switch=" + B));
        }
    }

    @Test
    void anAmbiguousOrUnknownSwitchIsNotFound() {
        for (String name : List.of("spine-x", "0x0002c90300ffffff")) {
            client.get().uri("/telemetry/ListMetrics?switch=" + name).exchange()
                    .expectStatus().isNotFound()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-switch");
        }
    }

    @Test
    void aFilteredBodyIsEstimatedAtLeastAsLargeAsItIsAndCountsThePortsCells() {
        var snapshot = fabric.snapshot;
        var all = ListMetricsFilter.NONE.select(snapshot);
        int metrics = snapshot.metrics().size();
        var bySwitch = ListMetricsFilter.parse(query("switch", A)).select(snapshot);
        // A and its three ports
        assertThat(bySwitch.cells()).isEqualTo(4L * metrics);
        var byMetric = ListMetricsFilter.parse(query("metric", CBW)).select(snapshot);
        assertThat(byMetric.cells()).isEqualTo(5L + 8L);
        assertThat(all.cells()).isEqualTo(13L * metrics);
        for (var selection : List.of(bySwitch, byMetric, ListMetricsFilter.parse(query("switch", C + "," + E)).select(snapshot))) {
            assertThat(selection.estimatedBytes()).isGreaterThanOrEqualTo(selection.body().remaining());
        }
    }

    private static org.springframework.util.MultiValueMap<String, String> query(String name, String value) {
        var query = new org.springframework.util.LinkedMultiValueMap<String, String>();
        query.add(name, value);
        return query;
    }
}
