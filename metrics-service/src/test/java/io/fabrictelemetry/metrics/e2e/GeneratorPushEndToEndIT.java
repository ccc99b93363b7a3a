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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.metrics.MetricsApplication;
import io.fabrictelemetry.metrics.kafka.KafkaTestBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push instead of poll (issue 23 §4, its "generator's push mode"): the real generator (its built jar,
 * in its own JVM) with {@code GENERATOR_PUBLISH=kafka} appends its generation to a topic of a real
 * broker in this JVM, and a metrics-service with {@code INGEST_MODE=consume}, which polls nothing,
 * serves that generation: ListMetrics holds exactly what the generator's {@code /counters} serves,
 * sampled when the generator says, under the log's identity of the record (sequence offset + 1, ETag
 * from topic, partition and offset).
 */
class GeneratorPushEndToEndIT {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final String TOPIC = KafkaTestBroker.topic("generator-push-e2e");

    private static String bootstrap;
    private static Process generator;
    private static ConfigurableApplicationContext consumer;
    private static int generatorPort;
    private static int consumerPort;

    @BeforeAll
    static void startGeneratorBrokerAndConsumer() throws Exception {
        bootstrap = KafkaTestBroker.shared();
        generatorPort = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", generatorJar().toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "e2e-generator-push.log").toFile());
        builder.environment().put("GENERATOR_PORT", Integer.toString(generatorPort));
        builder.environment().put("GENERATOR_HOST", "127.0.0.1");
        builder.environment().put("GENERATOR_SWITCHES", "40");
        builder.environment().put("GENERATOR_SEED", "11");
        // one generation for the whole test: the record, /counters and the snapshot show the same data
        builder.environment().put("GENERATOR_PERIOD", "1h");
        builder.environment().put("GENERATOR_CONFIG_FILE", "target/no-generator-config.yml");
        builder.environment().put("GENERATOR_PUBLISH", "kafka");
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        builder.environment().put("KAFKA_TOPIC", TOPIC);
        generator = builder.start();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                .until(() -> get(generatorUrl("/counters")).statusCode() == 200);

        consumer = new SpringApplicationBuilder(MetricsApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--ingest.mode=consume", "--kafka.bootstrap-servers=" + bootstrap, "--kafka.topic=" + TOPIC,
                "--METRICS_CONFIG_FILE=target/no-metrics-config.yml");
        consumerPort = Integer.parseInt(consumer.getEnvironment().getProperty("local.server.port"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get(consumerUrl("/telemetry/ListMetrics")).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (generator != null) {
            generator.destroyForcibly();
        }
    }

    @Test
    void aConsumerServesTheGenerationTheGeneratorPushedAsItsCountersShowIt() throws Exception {
        HttpResponse<String> counters = get(generatorUrl("/counters"));
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, TOPIC);
        // the one generation, keyed by the generator's own address (twice at most in the topic: an attempt whose
        // acknowledgement timed out on a loaded machine may have been written before its retry; consumers skip it)
        assertThat(records).isNotEmpty().allSatisfy(record -> {
            assertThat(new String(record.key(), StandardCharsets.UTF_8))
                    .isEqualTo("127.0.0.1:" + generatorPort + "/counters");
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(counters.body());
            assertThat(PayloadRecords.text(record.headers(), PayloadRecords.SOURCE_ETAG))
                    .isEqualTo(counters.headers().firstValue("ETag").orElseThrow());
        });
        ConsumerRecord<byte[], byte[]> record = records.get(0);

        HttpResponse<String> listMetrics = get(consumerUrl("/telemetry/ListMetrics"));
        JsonNode list = json.readTree(listMetrics.body());
        assertThat(listMetrics.headers().firstValue("ETag"))
                .contains(PayloadRecords.etag(TOPIC, PayloadRecords.PARTITION, record.offset()));
        assertThat(list.get("sequence").asLong()).isEqualTo(PayloadRecords.sequence(record.offset()));
        assertThat(list.get("sampledAt").asString()).isEqualTo(counters.headers().firstValue("X-Sampled-At").orElseThrow());

        List<CsvRecord> csv = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(counters.body()).forEach(csv::add);
        List<String> header = csv.get(0).getFields();
        assertThat(new ArrayList<>(list.get("switches").propertyNames())).containsExactlyElementsOf(
                csv.subList(1, csv.size()).stream().map(row -> row.getField(0)).toList());
        for (CsvRecord row : csv.subList(1, csv.size())) {
            JsonNode values = list.get("switches").get(row.getField(0));
            for (int c = 1; c < header.size(); c++) {
                String text = row.getField(c);
                JsonNode value = values.get(header.get(c));
                if (text.isEmpty()) {
                    assertThat(value.isNull()).as("%s %s", row.getField(0), header.get(c)).isTrue();
                } else {
                    assertThat(value.decimalValue()).as("%s %s", row.getField(0), header.get(c))
                            .isEqualByComparingTo(new BigDecimal(text));
                }
            }
        }
    }

    @Test
    void aConsumerIsLiveAndReadyOnTheProbePathsTheDeploymentsUse() throws Exception {
        // the paths of deploy/kubernetes and deploy/haproxy (KubernetesManifestsTests ties them to application.yml):
        // in consume mode, with no poll loop, both answer 200 once the topic is read
        assertThat(get(consumerUrl("/actuator/health/liveness")).statusCode()).isEqualTo(200);
        assertThat(get(consumerUrl("/actuator/health/readiness")).statusCode()).isEqualTo(200);
    }

    private static String generatorUrl(String path) {
        return "http://127.0.0.1:" + generatorPort + path;
    }

    private static String consumerUrl(String path) {
        return "http://127.0.0.1:" + consumerPort + path;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
