package io.fabrictelemetry.metrics.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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
 * Rates end to end: the real generator (its jar, a new generation every 2 s) and the real
 * metrics-service polling it every 250 ms. Every {@code /counters} payload is recorded as the
 * generator serves it; the rates of a snapshot must be what two consecutive recorded payloads give.
 */
class CounterRatesIT {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final List<String> COUNTERS = List.of("packet_errors", "dropped_packets", "link_down_count");

    private static Process generator;
    private static ConfigurableApplicationContext metrics;
    private static int generatorPort;
    private static int metricsPort;

    @BeforeAll
    static void startBothServices() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            generatorPort = socket.getLocalPort();
        }
        Path jar;
        Path target = Path.of("..", "generator-service", "target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jar = files.filter(p -> p.getFileName().toString().matches("generator-service-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No generator jar in " + target.toAbsolutePath()));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "rates-generator.log").toFile());
        builder.environment().put("GENERATOR_PORT", Integer.toString(generatorPort));
        builder.environment().put("GENERATOR_HOST", "127.0.0.1");
        builder.environment().put("GENERATOR_SWITCHES", "60");
        builder.environment().put("GENERATOR_SEED", "11");
        builder.environment().put("GENERATOR_PERIOD", "2s");
        // bursts in most periods, so that some rates are not zero
        builder.environment().put("GENERATOR_ERROR_BURST_PROBABILITY", "0.3");
        builder.environment().put("GENERATOR_CONFIG_FILE", "target/no-generator-config.yml");
        generator = builder.start();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> get(url(generatorPort, "/counters")).statusCode() == 200);

        metrics = new SpringApplicationBuilder(MetricsApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--generator.host=127.0.0.1", "--generator.port=" + generatorPort,
                "--poll.interval=250ms", "--poll.timeout=200ms", "--stale.after=5s",
                "--METRICS_CONFIG_FILE=target/no-metrics-config.yml");
        metricsPort = Integer.parseInt(metrics.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stopBothServices() {
        if (metrics != null) {
            metrics.close();
        }
        if (generator != null) {
            generator.destroyForcibly();
        }
    }

    private static String url(int port, String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ratesOfASnapshotAreWhatTwoConsecutivePayloadsOfTheGeneratorGive() throws Exception {
        Map<String, String> payloadBySampledAt = new HashMap<>();
        TreeMap<Long, JsonNode> snapshotBySequence = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Long checked = null;
        while (checked == null && System.nanoTime() < deadline) {
            HttpResponse<String> counters = get(url(generatorPort, "/counters"));
            if (counters.statusCode() == 200) {
                payloadBySampledAt.put(counters.headers().firstValue("X-Sampled-At").orElseThrow(), counters.body());
            }
            HttpResponse<String> list = get(url(metricsPort, "/telemetry/ListMetrics"));
            if (list.statusCode() == 200) {
                JsonNode snapshot = json.readTree(list.body());
                snapshotBySequence.put(snapshot.get("sequence").asLong(), snapshot);
            }
            for (Map.Entry<Long, JsonNode> entry : snapshotBySequence.entrySet()) {
                JsonNode before = snapshotBySequence.get(entry.getKey() - 1);
                if (before != null && nonZeroRates(entry.getValue()) > 0
                        && payloadBySampledAt.containsKey(before.get("sampledAt").asString())
                        && payloadBySampledAt.containsKey(entry.getValue().get("sampledAt").asString())) {
                    checked = entry.getKey();
                    break;
                }
            }
            Thread.sleep(100);
        }
        assertThat(checked).as("two consecutive snapshots whose payloads were both seen, with a rate above 0")
                .isNotNull();

        JsonNode before = snapshotBySequence.get(checked - 1);
        JsonNode now = snapshotBySequence.get(checked);
        Map<String, Map<String, String>> previous = cells(payloadBySampledAt.get(before.get("sampledAt").asString()));
        Map<String, Map<String, String>> current = cells(payloadBySampledAt.get(now.get("sampledAt").asString()));
        BigDecimal seconds = BigDecimal.valueOf(Duration.between(Instant.parse(before.get("sampledAt").asString()),
                Instant.parse(now.get("sampledAt").asString())).toMillis()).movePointLeft(3);
        assertThat(seconds).isPositive();

        int compared = 0;
        for (String switchId : current.keySet()) {
            for (String counter : COUNTERS) {
                BigDecimal valueNow = new BigDecimal(current.get(switchId).get(counter));
                BigDecimal valuePrevious = new BigDecimal(previous.get(switchId).get(counter));
                BigDecimal increase = valueNow.compareTo(valuePrevious) >= 0 ? valueNow.subtract(valuePrevious) : valueNow;
                BigDecimal expected = increase.divide(seconds, 3, RoundingMode.HALF_UP);
                JsonNode rate = now.get("switches").get(switchId).get(counter + "_per_second");
                assertThat(rate.decimalValue()).as("%s %s_per_second", switchId, counter)
                        .isEqualByComparingTo(expected);
                compared++;
            }
        }
        assertThat(compared).isEqualTo(60 * COUNTERS.size());

        // the same rates through GetMetric and TopSwitches
        JsonNode top = json.readTree(get(url(metricsPort, "/telemetry/TopSwitches?metric=packet_errors_per_second&limit=1"))
                .body());
        if (top.get("sequence").asLong() == checked) {
            String best = top.get("switches").get(0).get("switch").asString();
            assertThat(top.get("switches").get(0).get("value"))
                    .isEqualTo(now.get("switches").get(best).get("packet_errors_per_second"));
        }
    }

    private static long nonZeroRates(JsonNode snapshot) {
        long count = 0;
        for (JsonNode values : snapshot.get("switches")) {
            for (String counter : COUNTERS) {
                JsonNode rate = values.get(counter + "_per_second");
                if (rate != null && rate.isNumber() && rate.asDouble() > 0) {
                    count++;
                }
            }
        }
        return count;
    }

    /** switch → column → cell text, from a CSV payload. */
    private static Map<String, Map<String, String>> cells(String csv) {
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(csv).forEach(rows::add);
        List<String> header = rows.get(0).getFields();
        Map<String, Map<String, String>> cells = new HashMap<>();
        for (CsvRecord row : rows.subList(1, rows.size())) {
            Map<String, String> values = new HashMap<>();
            for (int c = 1; c < header.size(); c++) {
                values.put(header.get(c), row.getField(c));
            }
            cells.put(row.getField(0), values);
        }
        return cells;
    }
}
