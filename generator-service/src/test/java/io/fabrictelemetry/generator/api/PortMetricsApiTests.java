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

/** {@code GET /csv/metrics}: the port view, under the same rules as {@code /counters}. */
@SpringBootTest(properties = {"generator.switches=6", "generator.ports-per-switch=4", "generator.period=1h",
        "generator.seed=1", "GENERATOR_CONFIG_FILE=target/no-such-file.yml"})
@AutoConfigureWebTestClient
class PortMetricsApiTests {

    @Autowired
    WebTestClient client;

    private EntityExchangeResult<byte[]> get(String path) {
        return client.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.parseMediaType("text/csv;charset=utf-8"))
                .expectBody().returnResult();
    }

    private static List<CsvRecord> parse(byte[] body) {
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(new String(body, StandardCharsets.UTF_8)).forEach(rows::add);
        return rows;
    }

    @Test
    void servesOneRowPerPortNamedAsTheSwitchesOfCounters() {
        List<CsvRecord> ports = parse(get("/csv/metrics").getResponseBody());
        List<CsvRecord> counters = parse(get("/counters").getResponseBody());

        assertThat(ports.get(0).getFields()).startsWith("timestamp", "source_id", "tag", "node_guid", "port_guid",
                "port_num", "node_description", "Infiniband_MBOut_u_Gb").hasSize(32);
        assertThat(ports).hasSize(1 + 6 * 4);
        for (int s = 0; s < 6; s++) {
            for (int p = 0; p < 4; p++) {
                CsvRecord row = ports.get(1 + s * 4 + p);
                assertThat(row.getField(6)).isEqualTo(counters.get(1 + s).getField(0));
                assertThat(row.getField(5)).isEqualTo(Integer.toString(p + 1));
            }
        }
    }

    @Test
    void carriesItsOwnTagPerGenerationAndTheSameSamplingInstantAsItsRows() {
        EntityExchangeResult<byte[]> ports = get("/csv/metrics");
        EntityExchangeResult<byte[]> counters = get("/counters");
        String etag = ports.getResponseHeaders().getETag();
        String sampledAt = ports.getResponseHeaders().getFirst("X-Sampled-At");

        assertThat(etag).matches("\"[0-9a-f]{8}-\\d+-ports\"")
                .isEqualTo(counters.getResponseHeaders().getETag().replace("\"", "").transform(t -> "\"" + t + "-ports\""));
        assertThat(sampledAt).isEqualTo(counters.getResponseHeaders().getFirst("X-Sampled-At"));
        long micros = Instant.parse(sampledAt).toEpochMilli() * 1000;
        assertThat(parse(ports.getResponseBody()).subList(1, 25))
                .allSatisfy(row -> assertThat(row.getField(0)).isEqualTo(Long.toString(micros)));
        assertThat(get("/csv/metrics").getResponseBody()).isEqualTo(ports.getResponseBody());
    }

    @Test
    void matchingIfNoneMatchGetsNotModifiedAndTheOtherViewsTagDoesNot() {
        EntityExchangeResult<byte[]> full = get("/csv/metrics");
        String etag = full.getResponseHeaders().getETag();

        client.get().uri("/csv/metrics").header("If-None-Match", etag).exchange()
                .expectStatus().isNotModified()
                .expectHeader().valueEquals("ETag", etag)
                .expectHeader().valueEquals("X-Sampled-At", full.getResponseHeaders().getFirst("X-Sampled-At"))
                .expectBody().isEmpty();
        String countersTag = get("/counters").getResponseHeaders().getETag();
        client.get().uri("/csv/metrics").header("If-None-Match", countersTag).exchange()
                .expectStatus().isOk();
        client.get().uri("/counters").header("If-None-Match", etag).exchange()
                .expectStatus().isOk();
    }

    @Test
    void prometheusCountsThePortsOfTheFabric() {
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("fabric_generator_ports 24.0")
                        .containsPattern("fabric_generator_ports_down \\d")
                        .containsPattern("fabric_generator_generation_ports_bytes \\d"));
    }
}
