package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.ingest.CsvPayloads;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ports=false} on ListMetrics and the stream: the switches (on port rows their aggregates)
 * and descriptions without the {@code ports} object, for a client that shows switches only (the
 * dashboard's map: 5,000 switches instead of 200,000 ports). Over real HTTP, the stream included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
class ListMetricsWithoutPortsTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    private static final String PORT_ROWS = """
            timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,Infiniband_MBOut_u_Gb,Infiniband_Normalized_CBW_f_u_Percent
            1709652347161873,ufm,,0x0002c90300000a01,0x0002c90300000a01,1,leaf-01,100,5.48295e-7
            1709652347161873,ufm,,0x0002c90300000a01,0x0002c90300000a01,2,leaf-01,250,12.5
            1709652347161873,ufm,,0x0002c90300000a02,0x0002c90300000a02,1,leaf-02,40,3
            1709652347161873,ufm,,0x0002c90300000a02,0x0002c90300000a02,2,leaf-02,60,
            """;
    private static final String SWITCH_ROWS = """
            switch_id,bandwidth_gbps,latency_us
            sw-0001,312.5,1.37
            sw-0002,120.25,2.5
            """;
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @LocalServerPort
    int port;

    @Autowired
    SnapshotStore store;

    private Snapshot publish(String csv) {
        return store.publish(CsvPayloads.parse(csv.getBytes(StandardCharsets.UTF_8), store.current()),
                Instant.now().minusMillis(500), Instant.now(), null);
    }

    private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(5));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void portsFalseOnPortRowsListsTheSwitchAggregatesAndDescriptionsWithoutThePorts() throws Exception {
        publish(PORT_ROWS);
        JsonNode whole = json.readTree(get("/telemetry/ListMetrics").body());
        assertThat(whole.has("ports")).isTrue();
        HttpResponse<String> response = get("/telemetry/ListMetrics?ports=false");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.has("ports")).isFalse();
        // everything else is the whole body's, in its order
        ObjectNode expected = ((ObjectNode) whole).deepCopy();
        expected.remove("ports");
        assertThat(body).isEqualTo(expected);
        assertThat(List.copyOf(body.propertyNames())).containsExactly("sequence", "sampledAt", "collectedAt",
                "metrics", "switches", "descriptions");
        assertThat(body.get("switches").get("0x0002c90300000a01").get("Infiniband_MBOut_u_Gb").asLong()).isEqualTo(350);
        assertThat(body.get("descriptions").get("0x0002c90300000a02").asString()).isEqualTo("leaf-02");
        // ports=true is the default: the whole body
        assertThat(get("/telemetry/ListMetrics?ports=true").body()).isEqualTo(get("/telemetry/ListMetrics").body());
    }

    @Test
    void portsFalseCombinesWithSwitchAndMetric() throws Exception {
        publish(PORT_ROWS);
        JsonNode body = json.readTree(get(
                "/telemetry/ListMetrics?metric=Infiniband_Normalized_CBW_f_u_Percent&ports=false").body());
        assertThat(body.get("metrics").valueStream().map(JsonNode::asString).toList())
                .containsExactly("Infiniband_Normalized_CBW_f_u_Percent");
        assertThat(body.get("switches").get("0x0002c90300000a01").get("Infiniband_Normalized_CBW_f_u_Percent").asDouble())
                .isEqualTo(12.5);
        assertThat(body.get("switches").get("0x0002c90300000a02").get("Infiniband_Normalized_CBW_f_u_Percent").asDouble())
                .isEqualTo(3.0);
        assertThat(body.has("ports")).isFalse();
        JsonNode one = json.readTree(get("/telemetry/ListMetrics?switch=leaf-02&ports=false").body());
        assertThat(List.copyOf(one.get("switches").propertyNames())).containsExactly("0x0002c90300000a02");
        assertThat(one.has("ports")).isFalse();
        assertThat(json.readTree(get("/telemetry/ListMetrics?switch=leaf-02").body()).get("ports")
                .get("0x0002c90300000a02").size()).isEqualTo(2);
    }

    @Test
    void portsFalseIsARepresentationOfItsOwnWithItsOwnETag() throws Exception {
        publish(PORT_ROWS);
        String whole = get("/telemetry/ListMetrics").headers().firstValue("ETag").orElseThrow();
        String metric = get("/telemetry/ListMetrics?metric=Infiniband_MBOut_u_Gb").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> withoutPorts = get("/telemetry/ListMetrics?ports=false");
        String tag = withoutPorts.headers().firstValue("ETag").orElseThrow();
        String metricWithoutPorts = get("/telemetry/ListMetrics?metric=Infiniband_MBOut_u_Gb&ports=false")
                .headers().firstValue("ETag").orElseThrow();
        assertThat(List.of(whole, metric, tag, metricWithoutPorts)).doesNotHaveDuplicates();
        HttpResponse<String> again = get("/telemetry/ListMetrics?ports=false", "If-None-Match", tag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void portsFalseOnSwitchRowsIsTheWholeSnapshotByteForByte() throws Exception {
        publish(SWITCH_ROWS);
        HttpResponse<String> whole = get("/telemetry/ListMetrics");
        HttpResponse<String> withoutPorts = get("/telemetry/ListMetrics?ports=false");
        assertThat(withoutPorts.statusCode()).isEqualTo(200);
        assertThat(withoutPorts.body()).isEqualTo(whole.body());
        assertThat(withoutPorts.headers().firstValue("ETag")).isEqualTo(whole.headers().firstValue("ETag"));
    }

    @Test
    void portsThatIsNotTrueOrFalseIsABadRequest() throws Exception {
        publish(PORT_ROWS);
        for (String query : List.of("ports=no", "ports=", "ports=FALSE", "ports=true&ports=false")) {
            HttpResponse<String> response = get("/telemetry/ListMetrics?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).contains("urn:fabric-telemetry:problem:invalid-parameter")
                    .contains("'ports' must be 'true' or 'false'");
        }
        assertThat(get("/telemetry/ListMetrics?ports=false&ports=false").statusCode()).isEqualTo(200);
        assertThat(get("/telemetry/stream?ports=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void theStreamWithPortsFalseCarriesNoPorts() throws Exception {
        publish(PORT_ROWS);
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/telemetry/stream?metric=Infiniband_MBOut_u_Gb&ports=false")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            String data = lines.filter(line -> line.startsWith("data: ")).findFirst().orElseThrow().substring(6);
            assertThat(data).isEqualTo(get("/telemetry/ListMetrics?metric=Infiniband_MBOut_u_Gb&ports=false").body());
            assertThat(json.readTree(data).has("ports")).isFalse();
            assertThat(json.readTree(data).get("switches").size()).isEqualTo(2);
        }
    }
}
