package io.fabrictelemetry.generator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** GENERATOR_PUBLISH and the Kafka settings, bound from environment variables and refused with the variable's name. */
class PushSettingsTests {

    private static Binder environment(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME + "-test", variables));
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        return new Binder(sources);
    }

    private static PushSettings resolve(Map<String, Object> variables) {
        Binder binder = environment(variables);
        return PushSettings.resolve(binder.bindOrCreate("generator", PublishProperties.class),
                binder.bindOrCreate("kafka", KafkaProperties.class),
                binder.bindOrCreate("source", SourceProperties.class), "generator-7", 9001);
    }

    private static String bindFailure(Map<String, Object> variables, String prefix, Class<?> type) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowableOfType(BindException.class,
                () -> environment(variables).bindOrCreate(prefix, type));
        assertThat(failure).isNotNull();
        while (failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure.getMessage();
    }

    @Test
    void publishingIsOffWithoutConfiguration() {
        PublishProperties publish = environment(Map.of()).bindOrCreate("generator", PublishProperties.class);
        assertThat(publish.kafka()).isFalse();
        assertThat(publish.ports()).isFalse();
    }

    @Test
    void environmentVariablesConfigureThePush() {
        PushSettings settings = resolve(Map.of("GENERATOR_PUBLISH", "kafka", "GENERATOR_PUBLISH_VIEW", "ports",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092", "KAFKA_TOPIC", "fabric.a",
                "KAFKA_MAX_BLOCK", "2s", "SOURCE_NAME", "fabric-a"));
        assertThat(settings).isEqualTo(new PushSettings("kafka-0:9092,kafka-1:9092", "fabric.a", "fabric-a", true,
                Duration.ofSeconds(2)));
    }

    @Test
    void theDefaultsAreTheMetricsServicesTopicAndTheGeneratorsOwnCountersAddress() {
        PushSettings settings = resolve(Map.of("GENERATOR_PUBLISH", "kafka", "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
        assertThat(settings.topic()).isEqualTo("fabric-telemetry.payloads");
        assertThat(settings.sourceName()).isEqualTo("generator-7:9001/counters");
        assertThat(settings.ports()).isFalse();
        assertThat(settings.maxBlock()).isEqualTo(Duration.ofSeconds(5));
        assertThat(resolve(Map.of("GENERATOR_PUBLISH", "kafka", "GENERATOR_PUBLISH_VIEW", "ports",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")).sourceName()).isEqualTo("generator-7:9001/csv/metrics");
    }

    @Test
    void thePublishSettingsIgnoreCaseAndBlanksLikeTheMetricsServicesIngestMode() {
        PublishProperties publish = environment(Map.of("GENERATOR_PUBLISH", " Kafka", "GENERATOR_PUBLISH_VIEW", "PORTS"))
                .bindOrCreate("generator", PublishProperties.class);
        assertThat(publish.kafka()).isTrue();
        assertThat(publish.ports()).isTrue();
        assertThat(bindFailure(Map.of("GENERATOR_PUBLISH", "Kafak"), "generator", PublishProperties.class))
                .endsWith("but was 'Kafak'");
    }

    @Test
    void anUnknownPublishTargetIsRefusedNamingTheVariable() {
        assertThat(bindFailure(Map.of("GENERATOR_PUBLISH", "kafak"), "generator", PublishProperties.class))
                .isEqualTo("generator.publish (GENERATOR_PUBLISH) must be none or kafka, but was 'kafak'");
        assertThat(bindFailure(Map.of("GENERATOR_PUBLISH_VIEW", "csv"), "generator", PublishProperties.class))
                .startsWith("generator.publish-view (GENERATOR_PUBLISH_VIEW) must be counters");
    }

    @Test
    void publishingToKafkaWithoutBootstrapServersIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> resolve(Map.of("GENERATOR_PUBLISH", "kafka")))
                .withMessageStartingWith("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) is required when"
                        + " generator.publish (GENERATOR_PUBLISH) is kafka");
    }

    @Test
    void malformedBootstrapServersAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> resolve(Map.of("GENERATOR_PUBLISH", "kafka",
                "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092,kafka")))
                .withMessage("kafka.bootstrap-servers (KAFKA_BOOTSTRAP_SERVERS) must be host:port[,host:port...],"
                        + " but was 'kafka:9092,kafka'");
    }

    @Test
    void badTopicMaxBlockAndSourceNameAreRefusedNamingTheVariable() {
        assertThat(bindFailure(Map.of("KAFKA_TOPIC", "a topic"), "kafka", KafkaProperties.class))
                .startsWith("kafka.topic (KAFKA_TOPIC) must be 1 to 249 of");
        assertThat(bindFailure(Map.of("KAFKA_MAX_BLOCK", "0s"), "kafka", KafkaProperties.class))
                .isEqualTo("kafka.max-block (KAFKA_MAX_BLOCK) must be at least 1ms, but was PT0S");
        assertThat(bindFailure(Map.of("SOURCE_NAME", " "), "source", SourceProperties.class))
                .isEqualTo("source.name (SOURCE_NAME) must not be blank when set");
    }
}
