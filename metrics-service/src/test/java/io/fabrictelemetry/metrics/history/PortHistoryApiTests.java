package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.ingest.CsvPayloads;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * GetMetricHistory on port rows: {@code port=} for one port's series, without it the switch
 * aggregate's series derived from its ports' history, every point what GetMetric answered at its
 * time; the port parameter's errors as GetMetric's. Snapshots are published by the test itself.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "history.retention=15m"})
@AutoConfigureWebTestClient
class PortHistoryApiTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    static final String HEADER = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
            + "Infiniband_PckIn_u_Packets,Infiniband_CBW_f_u_Gbps\n";

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Autowired
    HistoryRecorder recorder;

    final String guid = String.format("0x%016x", ThreadLocalRandom.current().nextLong(1L << 60));
    final String description = "leaf-" + guid.substring(10);
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    /** One switch of three ports (packets, bandwidth), each port its own sample time, published and recorded. */
    Snapshot publish(Instant sampledAt, long[] packets, String[] bandwidth) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int p = 0; p < packets.length; p++) {
            long micros = sampledAt.minusMillis(p * 7L).toEpochMilli() * 1000 + p * 3;
            csv.append(micros).append(",src,,").append(guid).append(',').append(guid).append(',').append(p + 1)
                    .append(',').append(description).append(',').append(packets[p] < 0 ? "" : Long.toString(packets[p]))
                    .append(',').append(bandwidth[p]).append('\n');
        }
        Table table = CsvPayloads.parse(csv.toString().getBytes(StandardCharsets.UTF_8), store.current());
        Snapshot snapshot = store.publish(table, sampledAt, sampledAt.plusMillis(100), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.queryPort(guid, 1, "Infiniband_CBW_f_u_Gbps",
                Long.MIN_VALUE).stream().anyMatch(point -> point.sequence() == snapshot.sequence()));
        return snapshot;
    }

    String text(String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    static String value(String getMetric) {
        return getMetric.substring(getMetric.indexOf("\"value\":") + 8, getMetric.indexOf(',', getMetric.indexOf("\"value\":")));
    }

    static List<String> pointValues(String history) {
        List<String> values = new ArrayList<>();
        int at = history.indexOf("\"value\":");
        while (at >= 0) {
            int end = history.indexOf('}', at);
            values.add(history.substring(at + 8, end));
            at = history.indexOf("\"value\":", end);
        }
        return values;
    }

    @Test
    void eachPointOfAPortAndOfTheAggregateIsWhatGetMetricAnsweredAtItsTime() {
        List<String> metrics = List.of("Infiniband_PckIn_u_Packets", "Infiniband_PckIn_u_Packets_per_second",
                "Infiniband_CBW_f_u_Gbps");
        List<List<String>> asked = new ArrayList<>(); // per snapshot: port 1, port 3, aggregate, for each metric
        long[][] packets = {{100, 5_000, -1}, {600, 9_000, 70}, {1_800, 9_000, 90}};
        String[][] bandwidth = {{"12.5", "5.48295e-7", "399.99"}, {"", "13.25", "1.5"}, {"7", "7.125", "0.001"}};
        for (int k = 0; k < 3; k++) {
            publish(now.minusSeconds(30 - 10L * k), packets[k], bandwidth[k]);
            List<String> values = new ArrayList<>();
            for (String metric : metrics) {
                String base = "/telemetry/GetMetric?switch=" + guid + "&metric=" + metric;
                values.add(value(text(base + "&port=1")));
                values.add(value(text(base + "&port=3")));
                values.add(value(text(base)));
            }
            asked.add(values);
        }
        for (int m = 0; m < metrics.size(); m++) {
            String base = "/telemetry/GetMetricHistory?switch=" + guid + "&metric=" + metrics.get(m);
            for (int which = 0; which < 3; which++) {
                String uri = base + (which == 0 ? "&port=1" : which == 1 ? "&port=3" : "");
                List<String> expected = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    expected.add(asked.get(k).get(m * 3 + which));
                }
                assertThat(pointValues(text(uri))).as(uri).containsExactlyElementsOf(expected);
            }
        }
        // the rate's first point: no previous value then, as GetMetric said; then (600 - 100) / 10 s
        assertThat(pointValues(text("/telemetry/GetMetricHistory?switch=" + guid
                + "&metric=Infiniband_PckIn_u_Packets_per_second&port=1"))).containsExactly("null", "50.0", "120.0");
        // the aggregate of a counter is the sum of the ports with a value, of a gauge their maximum
        assertThat(pointValues(text("/telemetry/GetMetricHistory?switch=" + guid + "&metric=Infiniband_PckIn_u_Packets")))
                .containsExactly("5100", "9670", "10890");
        assertThat(pointValues(text("/telemetry/GetMetricHistory?switch=" + guid + "&metric=Infiniband_CBW_f_u_Gbps")))
                .containsExactly("399.99", "13.25", "7.125");
    }

    @Test
    void answersNameThePortOrTheAggregateAndTheSwitchByItsGuidWithItsDescription() {
        Snapshot snapshot = publish(now.minusSeconds(5), new long[] {1, 2, 3}, new String[] {"1.5", "2.5", "0.5"});
        int portRow = snapshot.ports().portRow(snapshot.switchRow(guid), 2);
        String portTime = TimeFormat.iso(snapshot.ports().sampledAt(portRow));
        String aggregateTime = TimeFormat.iso(snapshot.sampledAt(guid));
        assertThat(portTime).isNotEqualTo(aggregateTime);

        assertThat(text("/telemetry/GetMetricHistory?switch=" + guid.toUpperCase().replace("0X", "0x")
                + "&metric=Infiniband_CBW_f_u_Gbps&port=2")).isEqualTo("{\"switch\":\"" + guid + "\",\"port\":2,"
                        + "\"description\":\"" + description + "\",\"metric\":\"Infiniband_CBW_f_u_Gbps\","
                        + "\"retention\":\"PT15M\",\"points\":[{\"sampledAt\":\"" + portTime + "\",\"value\":2.5}]}");
        assertThat(text("/telemetry/GetMetricHistory?switch=" + description + "&metric=Infiniband_CBW_f_u_Gbps"))
                .isEqualTo("{\"switch\":\"" + guid + "\",\"description\":\"" + description + "\","
                        + "\"metric\":\"Infiniband_CBW_f_u_Gbps\",\"aggregate\":\"max\",\"retention\":\"PT15M\","
                        + "\"points\":[{\"sampledAt\":\"" + aggregateTime + "\",\"value\":2.5}]}");
        assertThat(text("/telemetry/GetMetricHistory?switch=" + guid + "&metric=Infiniband_PckIn_u_Packets"))
                .contains("\"aggregate\":\"sum\"", "\"value\":6}");
        assertThat(text("/telemetry/GetMetricHistory?switch=" + guid + "&metric=Infiniband_PckIn_u_Packets&port=002"))
                .contains("\"port\":2,", "\"value\":2}");
    }

    void problem(String query, int status, String type) {
        client.get().uri("/telemetry/GetMetricHistory?" + query).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentType("application/problem+json")
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:fabric-telemetry:problem:" + type)
                .jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("port"));
    }

    @Test
    void aPortTheSwitchLacksIsNotFoundAndAPortThatIsNoNumberABadRequest() {
        publish(now.minusSeconds(1), new long[] {1, 2, 3}, new String[] {"1", "2", "3"});
        String base = "switch=" + guid + "&metric=Infiniband_CBW_f_u_Gbps&port=";
        problem(base + "4", 404, "unknown-port");
        problem(base + "0", 404, "unknown-port");
        problem(base + "12345678901", 404, "unknown-port");
        for (String bad : List.of("x", "-1", "1.0", "%201", "1e2", "")) {
            problem(base + bad, 400, "invalid-parameter");
        }
        problem(base + "1&port=2", 400, "repeated-parameter");
    }

    @Test
    void aPortOnSwitchRowsIsNotFoundAndTheirAnswersKeepTheirShape() {
        publish(now.minusSeconds(2), new long[] {1, 2, 3}, new String[] {"1", "2", "3"});
        String sw = "sw-" + guid.substring(12);
        Table table = Table.of(List.of("latency_us"), List.of(sw), new long[] {Double.doubleToRawLongBits(1.25)},
                new byte[] {CellKind.DECIMAL}, 0, 0);
        Snapshot snapshot = store.publish(table, now.minusSeconds(1), now, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.query(sw, "latency_us", Long.MIN_VALUE).stream()
                .anyMatch(point -> point.sequence() == snapshot.sequence()));
        problem("switch=" + sw + "&metric=latency_us&port=1", 404, "unknown-port");
        assertThat(text("/telemetry/GetMetricHistory?switch=" + sw + "&metric=latency_us")).isEqualTo(
                "{\"switch\":\"" + sw + "\",\"metric\":\"latency_us\",\"retention\":\"PT15M\",\"points\":[{\"sampledAt\":\""
                        + TimeFormat.iso(now.minusSeconds(1)) + "\",\"value\":1.25}]}");
    }
}
