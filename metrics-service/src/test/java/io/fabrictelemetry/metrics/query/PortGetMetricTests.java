package io.fabrictelemetry.metrics.query;

import static io.fabrictelemetry.metrics.query.PortFabric.A;
import static io.fabrictelemetry.metrics.query.PortFabric.B;
import static io.fabrictelemetry.metrics.query.PortFabric.C;
import static io.fabrictelemetry.metrics.query.PortFabric.CBW;
import static io.fabrictelemetry.metrics.query.PortFabric.PCK_IN;
import static io.fabrictelemetry.metrics.query.PortFabric.SYMBOL_ERRORS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.List;

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
import io.fabrictelemetry.metrics.api.TelemetryAnswer;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * GetMetric on port rows ({@link PortFabric}): one port's value ({@code port=}), a switch's
 * aggregate without it, the switch found by GUID in any case or by a unique description, and the
 * {@code port} parameter's errors, on port rows and on switch rows. Default counters.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class PortGetMetricTests {

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

    /** The query sent as written: percent-escapes are the test's, not re-encoded. */
    private WebTestClient.ResponseSpec get(String query) {
        return client.get().uri(URI.create("/telemetry/GetMetric?" + query)).exchange();
    }

    private String body(String query) {
        return get(query).expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private long age(String query) {
        return Long.parseLong(get(query).expectStatus().isOk().returnResult(String.class).getResponseHeaders()
                .getFirst(TelemetryAnswer.DATA_AGE));
    }

    @Test
    void portAnswersThatPortsValueWithItsOwnSampledAt() {
        assertThat(body("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=2")).isEqualTo("{\"switch\":\"" + A
                + "\",\"port\":2,\"description\":\"leaf-01\",\"metric\":\"" + SYMBOL_ERRORS + "\",\"value\":3,"
                + "\"sampledAt\":\"" + fabric.iso(fabric.sampledAt) + "\",\"collectedAt\":\"" + fabric.collectedAt() + "\"}");
        // an exponent decimal, as every answer writes that double
        assertThat(body("switch=" + A + "&metric=" + CBW + "&port=1")).contains("\"port\":1,", "\"value\":5.48295E-7,");
        // the older port answers with its own time, and its data age says so
        assertThat(body("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=23"))
                .contains("\"port\":23,", "\"value\":18,", "\"sampledAt\":\"" + fabric.iso(fabric.oldAt) + "\"");
        assertThat(age("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=23")).isGreaterThanOrEqualTo(61_000);
        assertThat(age("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=2")).isBetween(1_500L, 60_000L);
        // a port without a reading: null, as any missing reading
        assertThat(body("switch=" + A + "&metric=" + PCK_IN + "&port=23")).contains("\"port\":23,", "\"value\":null,");
        // a port sampled when its payload was shares the snapshot's time and its text, made once
        var ports = fabric.snapshot.ports();
        int port2 = ports.portRow(fabric.snapshot.switchRow(A), 2);
        assertThat(ports.sampledAtText(port2)).isSameAs(fabric.snapshot.sampledAtText());
        assertThat(ports.sampledAt(port2)).isSameAs(fabric.snapshot.sampledAt());
        // leading zeros are the same number
        assertThat(body("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=0023")).contains("\"port\":23,");
    }

    @Test
    void withoutPortASwitchAnswersItsAggregateSumForCountersMaxForTheRest() {
        assertThat(body("switch=" + A + "&metric=" + SYMBOL_ERRORS)).isEqualTo("{\"switch\":\"" + A
                + "\",\"description\":\"leaf-01\",\"metric\":\"" + SYMBOL_ERRORS + "\",\"value\":21,"
                + "\"aggregate\":\"sum\",\"ports\":3,"
                // the aggregate is as old as its oldest port
                + "\"sampledAt\":\"" + fabric.iso(fabric.oldAt) + "\",\"collectedAt\":\"" + fabric.collectedAt() + "\"}");
        assertThat(age("switch=" + A + "&metric=" + SYMBOL_ERRORS)).isGreaterThanOrEqualTo(61_000);
        // ports without a value are skipped, and not counted
        assertThat(body("switch=" + A + "&metric=" + PCK_IN)).contains("\"value\":3500,\"aggregate\":\"sum\",\"ports\":2,");
        assertThat(body("switch=" + A + "&metric=" + CBW)).contains("\"value\":12.5,\"aggregate\":\"max\",\"ports\":2,");
        assertThat(body("switch=" + B + "&metric=" + SYMBOL_ERRORS)).contains("\"value\":18,\"aggregate\":\"sum\",\"ports\":1,");
        assertThat(body("switch=" + A + "&metric=" + SYMBOL_ERRORS + "_per_second")).contains("\"aggregate\":\"sum\",");
    }

    @Test
    void aCountersRateAggregatesAsTheSumOfItsPortsRates() {
        // ten seconds later, A's ports counted 10, 20 and 30 more symbol errors: 1, 2 and 3 a second
        String next = PortFabric.csv(fabric.sampledAt.plusSeconds(10), fabric.oldAt.plusSeconds(10))
                .replace(",1,leaf-01,1000,0,", ",1,leaf-01,1000,10,")
                .replace(",2,leaf-01,2500,3,", ",2,leaf-01,2500,23,")
                .replace(",23,leaf-01,,18,", ",23,leaf-01,,48,");
        store.publish(PortFabric.table(next), fabric.sampledAt.plusSeconds(10), Instant.now(), null);
        String rate = SYMBOL_ERRORS + "_per_second";
        assertThat(body("switch=" + A + "&metric=" + rate + "&port=1")).contains("\"value\":1.0,");
        assertThat(body("switch=" + A + "&metric=" + rate + "&port=23")).contains("\"value\":3.0,");
        assertThat(body("switch=" + A + "&metric=" + rate)).contains("\"value\":6.0,\"aggregate\":\"sum\",\"ports\":3,");
        // the gauge's maximum, of the new rows
        assertThat(body("switch=" + A + "&metric=" + CBW)).contains("\"value\":12.5,\"aggregate\":\"max\",\"ports\":2,");
    }

    @Test
    void aSwitchIsFoundByItsGuidInAnyCaseOrAUniqueDescriptionAndNamedAsTheSourceWroteIt() {
        for (String name : List.of(B, B.toLowerCase(), "0X0002c90300d4e5f6", "spine-01")) {
            assertThat(body("switch=" + name + "&metric=" + SYMBOL_ERRORS + "&port=1"))
                    .as(name).startsWith("{\"switch\":\"" + B + "\",\"port\":1,\"description\":\"spine-01\",");
            assertThat(body("switch=" + name + "&metric=" + SYMBOL_ERRORS))
                    .as(name).startsWith("{\"switch\":\"" + B + "\",\"description\":\"spine-01\",");
        }
        // a description two switches share names neither
        get("switch=spine-x&metric=" + SYMBOL_ERRORS)
                .expectStatus().isNotFound()
                .expectHeader().contentType(PROBLEM)
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-switch");
    }

    @Test
    void aSwitchWithoutADescriptionHasNoDescriptionField() {
        assertThat(body("switch=" + C + "&metric=" + SYMBOL_ERRORS + "&port=5")).startsWith("{\"switch\":\"" + C
                + "\",\"port\":5,\"metric\":").doesNotContain("description");
        assertThat(body("switch=" + C + "&metric=" + SYMBOL_ERRORS)).startsWith("{\"switch\":\"" + C
                + "\",\"metric\":").doesNotContain("description");
    }

    @Test
    void aPortTheSwitchLacksIsAnUnknownPort() {
        for (String port : List.of("3", "0", "24", "1000000000", "99999999999999999999")) {
            get("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=" + port)
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(PROBLEM)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-port")
                    .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains(A, port));
        }
        // port 5 is C's, not A's
        get("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=5").expectStatus().isNotFound();
    }

    @Test
    void aPortThatIsNoNumberIsAnInvalidParameter() {
        for (String port : List.of("abc", "-1", "2.0", "1e2", "%2B2", "%202", "2%20", "0x17", "", "%EF%BC%92")) {
            get("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=" + port)
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(PROBLEM)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-parameter")
                    .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("'port'"));
        }
        get("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-parameter");
    }

    @Test
    void portFollowsTheRulesOfEveryParameterGivenTwiceOrTooLong() {
        get("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=1&port=2")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:repeated-parameter");
        get("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=" + "1".repeat(257))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:parameter-too-long");
        get("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=%E2%82")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-query");
        // syntax first: a bad port with an unknown switch is a 400
        get("switch=nope&metric=" + SYMBOL_ERRORS + "&port=x").expectStatus().isBadRequest();
        // then the switch and the metric, then the port
        get("switch=nope&metric=" + SYMBOL_ERRORS + "&port=1")
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-switch");
        get("switch=" + A + "&metric=nope&port=99")
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-metric");
    }

    @Test
    void portOnASnapshotOfSwitchRowsIsAnUnknownPortAndSwitchAnswersAreUnchanged() {
        Instant sampledAt = Instant.now().minusMillis(1500);
        var snapshot = store.publish(Table.of(List.of("packet_errors", "latency_us"), List.of("sw-0001"),
                new long[] {17, Double.doubleToRawLongBits(1.37)}, new byte[] {CellKind.INTEGER, CellKind.DECIMAL}, 0, 0),
                sampledAt, Instant.now(), "\"g-1\"");
        get("switch=sw-0001&metric=latency_us&port=1")
                .expectStatus().isNotFound()
                .expectHeader().contentType(PROBLEM)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-port")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("switch rows"));
        get("switch=sw-0001&metric=latency_us&port=x").expectStatus().isBadRequest();
        assertThat(body("switch=sw-0001&metric=latency_us")).isEqualTo("{\"switch\":\"sw-0001\",\"metric\":\"latency_us\","
                + "\"value\":1.37,\"sampledAt\":\"" + fabric.iso(sampledAt) + "\",\"collectedAt\":\""
                + fabric.iso(snapshot.collectedAt()) + "\"}");
    }

    @Test
    void headAndConditionalAnswersHoldForPortsAndAggregates() {
        for (String query : List.of("switch=" + A + "&metric=" + SYMBOL_ERRORS + "&port=2", "switch=" + A + "&metric=" + CBW)) {
            String etag = get(query).expectStatus().isOk().returnResult(String.class).getResponseHeaders().getETag();
            assertThat(etag).isEqualTo(fabric.snapshot.etag());
            client.get().uri("/telemetry/GetMetric?" + query).header("If-None-Match", etag).exchange()
                    .expectStatus().isNotModified().expectBody().isEmpty();
            int length = body(query).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            client.head().uri("/telemetry/GetMetric?" + query).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentLength(length)
                    .expectBody().isEmpty();
        }
    }
}
