package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Binding as the application does it, from environment variables, without a context. */
class KafkaSettingsTests {

    private static final String POLLED = "http://127.0.0.1:9001/counters";

    private static KafkaSettings bind(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return KafkaSettings.bind(new Binder(ConfigurationPropertySources.get(environment)), POLLED);
    }

    private static String refusal(Map<String, Object> variables) {
        Throwable error = catchThrowable(() -> bind(variables));
        assertThat(error).isInstanceOf(IllegalArgumentException.class);
        return error.getMessage();
    }

    @Test
    void defaultsPollWithoutABrokerUnderTheDefaultTopicAndSourceName() {
        KafkaSettings settings = bind(Map.of());
        assertThat(settings.mode()).isEqualTo(IngestMode.POLL);
        assertThat(settings.usesKafka()).isFalse();
        assertThat(settings.bootstrapServers()).isNull();
        assertThat(settings.topic()).isEqualTo("fabric-telemetry.payloads");
        assertThat(settings.sourceName()).isEqualTo("127.0.0.1:9001/counters");
    }

    @Test
    void documentedEnvironmentVariablesOverrideTheDefaults() {
        KafkaSettings settings = bind(Map.of("INGEST_MODE", "publish", "KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092, kafka-1:9093",
                "KAFKA_TOPIC", "fabric.lab-1", "SOURCE_NAME", "ufm-lab-1"));
        assertThat(settings.mode()).isEqualTo(IngestMode.PUBLISH);
        assertThat(settings.bootstrapServers()).isEqualTo("kafka-0:9092, kafka-1:9093");
        assertThat(settings.topic()).isEqualTo("fabric.lab-1");
        assertThat(settings.sourceName()).isEqualTo("ufm-lab-1");
        assertThat(bind(Map.of("INGEST_MODE", "CONSUME", "KAFKA_BOOTSTRAP_SERVERS", "[::1]:9092")).mode())
                .isEqualTo(IngestMode.CONSUME);
    }

    @Test
    void anUnknownModeIsRefusedNamingTheSettingAndTheChoices() {
        assertThat(refusal(Map.of("INGEST_MODE", "pubish", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")))
                .contains("ingest.mode (INGEST_MODE) must be poll, publish or consume").contains("'pubish'");
    }

    @Test
    void publishAndConsumeWithoutBootstrapServersAreRefused() {
        assertThat(refusal(Map.of("INGEST_MODE", "publish")))
                .contains("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is required when ingest.mode (INGEST_MODE) is publish");
        assertThat(refusal(Map.of("INGEST_MODE", "consume", "KAFKA_BOOTSTRAP_SERVERS", " ")))
                .contains("KAFKA_BOOTSTRAP_SERVERS) is required").contains("consume");
    }

    @Test
    void bootstrapServersThatAreNotHostAndPortAreRefused() {
        assertThat(refusal(Map.of("INGEST_MODE", "publish", "KAFKA_BOOTSTRAP_SERVERS", "kafka")))
                .contains("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) must be a comma-separated list of host:port")
                .contains("'kafka'");
        assertThat(refusal(Map.of("INGEST_MODE", "publish", "KAFKA_BOOTSTRAP_SERVERS", "kafka:99999")))
                .contains("'kafka:99999'");
        assertThat(refusal(Map.of("INGEST_MODE", "publish", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092,")))
                .contains("'kafka:9092,'");
    }

    @Test
    void anIllegalTopicNameIsRefused() {
        assertThat(refusal(Map.of("KAFKA_TOPIC", "fabric telemetry")))
                .contains("kafka.topic (KAFKA_TOPIC) must be a Kafka topic name").contains("'fabric telemetry'");
        assertThat(refusal(Map.of("KAFKA_TOPIC", ".."))).contains("KAFKA_TOPIC");
    }

    @Test
    void theDefaultSourceNameIsThePolledUrlsHostPortAndPath() {
        assertThat(KafkaSettings.sourceName("http://generator:9001/counters")).isEqualTo("generator:9001/counters");
        assertThat(KafkaSettings.sourceName("https://ufm-host/csv/metrics")).isEqualTo("ufm-host/csv/metrics");
        assertThat(KafkaSettings.sourceName("http://[::1]:9001/counters")).isEqualTo("[::1]:9001/counters");
    }
}
