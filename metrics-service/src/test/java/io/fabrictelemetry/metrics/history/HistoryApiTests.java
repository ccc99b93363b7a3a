package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * The GetMetricHistory contract over snapshots the test publishes itself (the poll loop aims at a
 * port where nothing listens, once an hour). The context is this class's own (its requests would
 * otherwise swell other classes' request metrics); every test uses switches of its own.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "history.retention=15m"})
@AutoConfigureWebTestClient
class HistoryApiTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    static final List<String> METRICS = List.of("latency_us", "packet_errors");

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Autowired
    HistoryRecorder recorder;

    final String sw = "sw-" + UUID.randomUUID().toString().substring(0, 8);
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** One switch with a latency (null when NaN) and an error count, published and recorded. */
    Snapshot publish(String switchId, double latency, long errors, Instant sampledAt) {
        Table table = Table.of(METRICS, List.of(switchId),
                new long[] {Double.doubleToRawLongBits(latency), errors},
                new byte[] {Double.isNaN(latency) ? CellKind.NONE : CellKind.DECIMAL, CellKind.INTEGER}, 0, 0);
        return recorded(store.publish(table, sampledAt, sampledAt.plusMillis(100), null), switchId);
    }

    /** Waits until history has the snapshot's point of this switch: appending runs on its own thread. */
    Snapshot recorded(Snapshot snapshot, String switchId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.query(switchId, "packet_errors", Long.MIN_VALUE)
                .stream().anyMatch(point -> point.sequence() == snapshot.sequence()));
        return snapshot;
    }

    WebTestClient.BodyContentSpec history(String query) {
        return client.get().uri("/telemetry/GetMetricHistory?" + query).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody();
    }

    @Test
    void answersOnePointPerSnapshotOldestFirstWithNullReadings() {
        publish(sw, 1.37, 5, now.minusSeconds(30));
        publish(sw, Double.NaN, 9, now.minusSeconds(20));
        publish(sw, 2.5, 12, now.minusSeconds(10));

        history("switch=" + sw + "&metric=latency_us")
                .jsonPath("$.switch").isEqualTo(sw)
                .jsonPath("$.metric").isEqualTo("latency_us")
                .jsonPath("$.retention").isEqualTo("PT15M")
                .jsonPath("$.points.length()").isEqualTo(3)
                .jsonPath("$.points[0].sampledAt").isEqualTo(TimeFormat.iso(now.minusSeconds(30)))
                .jsonPath("$.points[0].value").isEqualTo(1.37)
                .jsonPath("$.points[1].value").isEmpty()
                .jsonPath("$.points[2].sampledAt").isEqualTo(TimeFormat.iso(now.minusSeconds(10)))
                .jsonPath("$.points[2].value").isEqualTo(2.5);
        client.get().uri("/telemetry/GetMetricHistory?switch=" + sw + "&metric=packet_errors").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains(
                        "\"value\":5}", "\"value\":9}", "\"value\":12}"));
    }

    @Test
    void snapshotsOlderThanTheRetentionAreNotAnswered() {
        // older than the 15 minutes kept: evicted as soon as it is appended, so not waited for
        Instant old = now.minus(Duration.ofMinutes(20));
        store.publish(Table.of(METRICS, List.of(sw), new long[] {Double.doubleToRawLongBits(1.0), 1},
                new byte[] {CellKind.DECIMAL, CellKind.INTEGER}, 0, 0), old, old, null);
        publish(sw, 2.0, 2, now.minus(Duration.ofMinutes(10)));
        publish(sw, 3.0, 3, now.minusSeconds(1));

        history("switch=" + sw + "&metric=packet_errors")
                .jsonPath("$.points.length()").isEqualTo(2)
                .jsonPath("$.points[0].value").isEqualTo(2)
                .jsonPath("$.points[1].value").isEqualTo(3);
    }

    @Test
    void derivedRatesHaveHistoryToo() {
        publish(sw, 1.0, 10, now.minusSeconds(20));
        publish(sw, 1.0, 30, now.minusSeconds(10));
        publish(sw, 1.0, 60, now);

        // no rate without a previous value, then (30 - 10) / 10 s and (60 - 30) / 10 s
        history("switch=" + sw + "&metric=packet_errors_per_second")
                .jsonPath("$.points.length()").isEqualTo(3)
                .jsonPath("$.points[0].value").isEmpty()
                .jsonPath("$.points[1].value").isEqualTo(2.0)
                .jsonPath("$.points[1].sampledAt").isEqualTo(TimeFormat.iso(now.minusSeconds(10)))
                .jsonPath("$.points[2].value").isEqualTo(3.0);
    }

    /**
     * Every number reads as GetMetric writes it, byte for byte (in GetMetricHistory, TopSwitches and
     * a filtered ListMetrics): large, tiny, negative and integral
     * decimals of the generator, integers, and a large rate ({@code 12500000000.0}, where a
     * decimal of the same value is {@code 1.25E10}).
     */
    @Test
    void everyValueIsWrittenAsGetMetricWritesIt() {
        double[] latencies = {1.25e10, -1.25e10, 1.0e-5, -1.0e-5, 3.0, -3.5, 123_456_789.125, 0.001};
        for (int i = 0; i < latencies.length; i++) {
            String id = sw + "-" + i;
            publish(id, latencies[i], 0, now.minusSeconds(60 - 2 * i));
            publish(id, latencies[i], 12_500_000_000L + i, now.minusSeconds(59 - 2 * i));
            for (String metric : List.of("latency_us", "packet_errors", "packet_errors_per_second")) {
                String current = text("/telemetry/GetMetric?switch=" + id + "&metric=" + metric);
                String history = text("/telemetry/GetMetricHistory?switch=" + id + "&metric=" + metric);
                String value = current.substring(current.indexOf("\"value\":") + 8, current.indexOf(",\"sampledAt\""));
                assertThat(history).as("%s of %s", metric, id).endsWith("\"value\":" + value + "}]}");
                // TopSwitches and ListMetrics (filtered: the stream's body too) write it the same way
                assertThat(text("/telemetry/TopSwitches?metric=" + metric)).endsWith("\"value\":" + value + "}]}");
                assertThat(text("/telemetry/ListMetrics?switch=" + id + "&metric=" + metric))
                        .endsWith("\"" + metric + "\":" + value + "}}}");
            }
        }
        assertThat(text("/telemetry/GetMetricHistory?switch=" + sw + "-0&metric=packet_errors_per_second"))
                .endsWith("\"value\":12500000000.0}]}");
        assertThat(text("/telemetry/GetMetricHistory?switch=" + sw + "-0&metric=latency_us"))
                .endsWith("\"value\":1.25E10}]}");
    }

    String text(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    @Test
    void nullReadingIsJsonNullInThePoint() {
        publish(sw, Double.NaN, 1, now.minusSeconds(5));
        client.get().uri("/telemetry/GetMetricHistory?switch=" + sw + "&metric=latency_us").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).endsWith("\"value\":null}]}"));
    }

    @Test
    void aCarriedOverValueIsNotANewPoint() {
        String other = sw + "-b";
        Table both = Table.of(METRICS, List.of(sw, other),
                new long[] {Double.doubleToRawLongBits(1.0), 1, Double.doubleToRawLongBits(2.0), 2},
                new byte[] {CellKind.DECIMAL, CellKind.INTEGER, CellKind.DECIMAL, CellKind.INTEGER}, 0, 0);
        recorded(store.publish(both, now.minusSeconds(20), now.minusSeconds(20), null), sw);
        // sw's row is damaged: it keeps its previous values, carried over
        Table damaged = Table.of(METRICS, List.of(other),
                new long[] {Double.doubleToRawLongBits(3.0), 3}, new byte[] {CellKind.DECIMAL, CellKind.INTEGER}, 1, 0,
                List.of(new Table.Damaged(sw, 0)));
        Snapshot carried = store.publish(damaged, now.minusSeconds(10), now.minusSeconds(10), null);
        assertThat(carried.carriedOver()).containsKey(sw);
        recorded(carried, other);

        history("switch=" + sw + "&metric=packet_errors")
                .jsonPath("$.points.length()").isEqualTo(1)
                .jsonPath("$.points[0].sampledAt").isEqualTo(TimeFormat.iso(now.minusSeconds(20)));
        history("switch=" + other + "&metric=packet_errors")
                .jsonPath("$.points.length()").isEqualTo(2);
    }

    @Test
    void sinceKeepsPointsFromAnInstantOrADurationBack() {
        publish(sw, 1.0, 1, now.minusSeconds(300));
        publish(sw, 2.0, 2, now.minusSeconds(100));
        publish(sw, 3.0, 3, now.minusSeconds(10));

        history("switch=" + sw + "&metric=packet_errors&since=" + TimeFormat.iso(now.minusSeconds(100)))
                .jsonPath("$.points.length()").isEqualTo(2);
        history("switch=" + sw + "&metric=packet_errors&since=2m").jsonPath("$.points.length()").isEqualTo(2);
        history("switch=" + sw + "&metric=packet_errors&since=PT1M").jsonPath("$.points.length()").isEqualTo(1);
        history("switch=" + sw + "&metric=packet_errors&since=30s").jsonPath("$.points[0].value").isEqualTo(3);
        history("switch=" + sw + "&metric=packet_errors&since=1h").jsonPath("$.points.length()").isEqualTo(3);
    }

    @Test
    void invalidSinceIsABadRequestSayingWhatIsAccepted() {
        publish(sw, 1.0, 1, now.minusSeconds(1));
        for (String since : List.of("yesterday", "5", "-5m", "PT-5M", "5x", "2026-13-01T00:00:00Z", "", " ")) {
            client.get().uri(b -> b.path("/telemetry/GetMetricHistory").queryParam("switch", sw)
                            .queryParam("metric", "latency_us").queryParam("since", since).build())
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType("application/problem+json")
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:invalid-parameter")
                    .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("since", "30s"));
        }
    }

    @Test
    void missingSwitchOrMetricIsABadRequest() {
        publish(sw, 1.0, 1, now.minusSeconds(1));
        client.get().uri("/telemetry/GetMetricHistory?metric=latency_us").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:missing-parameter");
        client.get().uri("/telemetry/GetMetricHistory?switch=" + sw).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:missing-parameter");
    }

    @Test
    void switchOrMetricFoundNowhereIsNotFound() {
        publish(sw, 1.0, 1, now.minusSeconds(1));
        client.get().uri("/telemetry/GetMetricHistory?switch=sw-nowhere&metric=latency_us").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-switch");
        client.get().uri("/telemetry/GetMetricHistory?switch=" + sw + "&metric=nothing").exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:unknown-metric")
                .jsonPath("$.validMetrics[0]").isEqualTo("latency_us");
    }

    @Test
    void aSwitchGoneFromTheCurrentSnapshotStillHasItsHistory() {
        publish(sw, 1.0, 1, now.minusSeconds(20));
        publish(sw + "-other", 1.0, 1, now.minusSeconds(10));

        client.get().uri("/telemetry/GetMetric?switch=" + sw + "&metric=latency_us").exchange()
                .expectStatus().isNotFound();
        history("switch=" + sw + "&metric=latency_us")
                .jsonPath("$.points.length()").isEqualTo(1)
                .jsonPath("$.points[0].value").isEqualTo(1.0);
    }

    @Test
    void answersWithTheHeadersOfGetMetricAndNotModifiedForItsEtag() {
        publish(sw, 1.0, 1, now.minusSeconds(2));
        var first = client.get().uri("/telemetry/GetMetricHistory?switch=" + sw + "&metric=latency_us").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "no-cache")
                .expectHeader().value("X-Data-Age-Ms", age -> assertThat(Long.parseLong(age)).isGreaterThanOrEqualTo(2000))
                .expectBody().returnResult();
        String etag = first.getResponseHeaders().getETag();
        assertThat(etag).startsWith("\"").contains("-h");

        client.get().uri("/telemetry/GetMetricHistory?switch=" + sw + "&metric=latency_us")
                .header("If-None-Match", etag).exchange()
                .expectStatus().isNotModified();
        publish(sw, 2.0, 2, now.minusSeconds(1));
        client.get().uri("/telemetry/GetMetricHistory?switch=" + sw + "&metric=latency_us")
                .header("If-None-Match", etag).exchange()
                .expectStatus().isOk();
    }

    @Test
    void optionsListsTheMethodsAndOtherMethodsAreNotAllowed() {
        client.options().uri("/telemetry/GetMetricHistory").exchange()
                .expectStatus().isNoContent()
                .expectHeader().value("Allow", allow -> assertThat(allow).contains("GET", "HEAD", "OPTIONS"));
        client.post().uri("/telemetry/GetMetricHistory").exchange()
                .expectStatus().isEqualTo(405);
    }
}
