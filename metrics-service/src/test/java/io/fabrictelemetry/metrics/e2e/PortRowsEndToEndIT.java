package io.fabrictelemetry.metrics.e2e;

import static io.fabrictelemetry.metrics.e2e.ServiceJars.freePort;
import static io.fabrictelemetry.metrics.e2e.ServiceJars.generatorJar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.fabrictelemetry.metrics.MetricsApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 22's end-to-end check of the two views: the real generator (its built jar, in its own JVM)
 * serving ports, and a real metrics-service (an application context in this JVM) pointed at its
 * {@code /csv/metrics}. For one generation, every switch's aggregates in the metrics-service
 * (ListMetrics and GetMetric) are checked against that generation's {@code /counters} row, for every
 * column {@code /counters} derives from the ports: the sums of RcvErrors, XmtDiscards, LinkDowned,
 * MBIn and MBOut, the maximum of CBW, and the maximum of Normalized_CBW rounded to 2 decimals.
 */
class PortRowsEndToEndIT {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final int SWITCHES = 12;
    private static final int PORTS = 8;
    /** /counters column → the port column whose switch aggregate (a sum) it equals. */
    private static final Map<String, String> SUMS = Map.of(
            "packet_errors", "Infiniband_RcvErrors_u_Errors",
            "dropped_packets", "Infiniband_XmtDiscards_u_Errors",
            "link_down_count", "Infiniband_LinkDowned_u_Errors",
            "rx_bytes", "Infiniband_MBIn_u_Gb",
            "tx_bytes", "Infiniband_MBOut_u_Gb");

    private static Process generator;
    private static ConfigurableApplicationContext metrics;
    private static int generatorPort;
    private static int metricsPort;

    @BeforeAll
    static void startTheGeneratorAndAMetricsServiceReadingItsPortView() throws Exception {
        generatorPort = freePort();
        Path jar = generatorJar();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "e2e-ports-generator.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("GENERATOR_PORT", Integer.toString(generatorPort));
        env.put("GENERATOR_HOST", "127.0.0.1");
        env.put("GENERATOR_SWITCHES", Integer.toString(SWITCHES));
        env.put("GENERATOR_PORTS_PER_SWITCH", Integer.toString(PORTS));
        env.put("GENERATOR_METRICS", "bandwidth_gbps,utilization_pct,latency_us,packet_errors,dropped_packets,"
                + "link_state,link_down_count,temperature_c,rx_bytes,tx_bytes");
        env.put("GENERATOR_SEED", "7");
        // generations that change (the first has carried no traffic yet), and eventful ones
        env.put("GENERATOR_PERIOD", "2s");
        env.put("GENERATOR_LINK_DOWN_PROBABILITY", "0.3");
        env.put("GENERATOR_ERROR_BURST_PROBABILITY", "0.5");
        env.put("GENERATOR_CONFIG_FILE", "target/no-generator-config.yml");
        generator = builder.start();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> get(generatorUrl("/csv/metrics")).statusCode() == 200);

        metrics = new SpringApplicationBuilder(MetricsApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--generator.url=" + generatorUrl("/csv/metrics"),
                "--poll.interval=300ms", "--poll.timeout=250ms", "--stale.after=5s",
                "--METRICS_CONFIG_FILE=target/no-metrics-config.yml");
        metricsPort = Integer.parseInt(metrics.getEnvironment().getProperty("local.server.port"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get(metricsUrl("/telemetry/ListMetrics")).statusCode() == 200);
    }

    @AfterAll
    static void stopBoth() {
        if (metrics != null) {
            metrics.close();
        }
        if (generator != null) {
            generator.destroyForcibly();
        }
    }

    /** One generation seen by both: its /counters (and X-Sampled-At), and the snapshot read from its ports. */
    private record SameGeneration(List<CsvRecord> counters, JsonNode list, String sampledAt) {
    }

    /**
     * Reads {@code /counters}, then the metrics-service's ListMetrics until its snapshot is of the
     * same generation (same sampledAt); starts over if the generator moved on meanwhile.
     */
    private static SameGeneration sameGeneration(int atLeastGeneration) {
        SameGeneration[] found = new SameGeneration[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            HttpResponse<String> counters = get(generatorUrl("/counters"));
            String etag = counters.headers().firstValue("ETag").orElseThrow();
            long generation = Long.parseLong(etag.replaceAll(".*-(\\d+)\"$", "$1"));
            if (generation < atLeastGeneration) {
                return false;
            }
            String sampledAt = counters.headers().firstValue("X-Sampled-At").orElseThrow();
            for (int attempt = 0; attempt < 15; attempt++) {
                JsonNode list = json.readTree(get(metricsUrl("/telemetry/ListMetrics")).body());
                if (list.get("sampledAt").asString().equals(sampledAt)) {
                    List<CsvRecord> rows = new ArrayList<>();
                    CsvReader.builder().ofCsvRecord(counters.body()).forEach(rows::add);
                    found[0] = new SameGeneration(rows, list, sampledAt);
                    return true;
                }
                Thread.sleep(100);
            }
            return false;
        });
        return found[0];
    }

    @Test
    void everySwitchsAggregatesEqualItsCountersRowForEveryDerivedColumn() throws Exception {
        SameGeneration same = sameGeneration(4);
        JsonNode list = same.list();
        List<String> header = same.counters().get(0).getFields();
        Map<String, String> guidOf = new HashMap<>();
        list.get("descriptions").properties().forEach(e -> guidOf.put(e.getValue().asString(), e.getKey()));

        assertThat(list.get("switches").propertyNames()).hasSize(SWITCHES);
        long nonZeroLinkDowns = 0;
        long nonZeroErrors = 0;
        for (CsvRecord row : same.counters().subList(1, same.counters().size())) {
            String name = row.getField(0);
            String guid = guidOf.get(name);
            assertThat(guid).as("the switch named %s in /counters, by its node_description", name)
                    .matches("0x[0-9a-f]{16}");
            assertThat(list.get("ports").get(guid).propertyNames()).hasSize(PORTS);
            JsonNode aggregates = list.get("switches").get(guid);
            for (Map.Entry<String, String> sum : SUMS.entrySet()) {
                long expected = Long.parseLong(row.getField(header.indexOf(sum.getKey())));
                assertThat(aggregates.get(sum.getValue()).isIntegralNumber()).isTrue();
                assertThat(aggregates.get(sum.getValue()).asLong()).as("%s %s = sum of %s", name, sum.getKey(),
                        sum.getValue()).isEqualTo(expected);
            }
            assertThat(aggregates.get("Infiniband_CBW_f_u_Gbps").decimalValue())
                    .as("%s bandwidth_gbps = max of CBW", name)
                    .isEqualByComparingTo(new BigDecimal(row.getField(header.indexOf("bandwidth_gbps"))));
            BigDecimal utilization = new BigDecimal(row.getField(header.indexOf("utilization_pct")));
            assertThat(utilization.scale()).isEqualTo(2);
            assertThat(aggregates.get("Infiniband_Normalized_CBW_f_u_Percent").decimalValue()
                    .subtract(utilization).abs())
                    .as("%s utilization_pct = max of Normalized_CBW to 2 decimals", name)
                    .isLessThanOrEqualTo(new BigDecimal("0.005"));
            nonZeroLinkDowns += Long.parseLong(row.getField(header.indexOf("link_down_count"))) > 0 ? 1 : 0;
            nonZeroErrors += Long.parseLong(row.getField(header.indexOf("packet_errors"))) > 0 ? 1 : 0;
            assertThat(Long.parseLong(row.getField(header.indexOf("rx_bytes")))).isPositive();
        }
        assertThat(nonZeroLinkDowns).as("switches whose ports went down").isPositive();
        assertThat(nonZeroErrors).as("switches with receive errors").isPositive();
    }

    @Test
    void getMetricAnswersTheSameAggregatesWithTheirRuleAndPortCount() throws Exception {
        for (int round = 0; round < 10; round++) {
            SameGeneration same = sameGeneration(3);
            List<String> header = same.counters().get(0).getFields();
            boolean sameSnapshotThroughout = true;
            for (CsvRecord row : same.counters().subList(1, same.counters().size())) {
                String name = row.getField(0);
                Map<String, String> checks = new HashMap<>(SUMS);
                checks.put("bandwidth_gbps", "Infiniband_CBW_f_u_Gbps");
                for (Map.Entry<String, String> check : checks.entrySet()) {
                    HttpResponse<String> response = get(metricsUrl("/telemetry/GetMetric?switch=" + name
                            + "&metric=" + check.getValue()));
                    assertThat(response.statusCode()).isEqualTo(200);
                    JsonNode one = json.readTree(response.body());
                    if (!one.get("sampledAt").asString().equals(same.sampledAt())) {
                        sameSnapshotThroughout = false; // the generator moved on: read the next one whole
                        break;
                    }
                    assertThat(one.get("description").asString()).isEqualTo(name);
                    assertThat(one.get("aggregate").asString())
                            .isEqualTo(check.getKey().equals("bandwidth_gbps") ? "max" : "sum");
                    assertThat(one.get("ports").asInt()).isEqualTo(PORTS);
                    assertThat(one.get("value").decimalValue()).as("%s %s", name, check.getKey())
                            .isEqualByComparingTo(new BigDecimal(row.getField(header.indexOf(check.getKey()))));
                }
                if (!sameSnapshotThroughout) {
                    break;
                }
            }
            if (sameSnapshotThroughout) {
                return;
            }
        }
        throw new AssertionError("no generation lasted long enough to ask every GetMetric of it");
    }

    private static String generatorUrl(String path) {
        return "http://127.0.0.1:" + generatorPort + path;
    }

    private static String metricsUrl(String path) {
        return "http://127.0.0.1:" + metricsPort + path;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
