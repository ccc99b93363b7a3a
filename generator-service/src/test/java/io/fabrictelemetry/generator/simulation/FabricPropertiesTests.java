package io.fabrictelemetry.generator.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class FabricPropertiesTests {

    private static FabricProperties bind(Map<String, String> yaml) {
        ConfigurationPropertySource source = new MapConfigurationPropertySource(yaml);
        return new Binder(source).bindOrCreate("generator", FabricProperties.class);
    }

    private static FabricProperties bindEnvironment(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME + "-test", variables));
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.get(environment);
        return new Binder(sources).bindOrCreate("generator", FabricProperties.class);
    }

    private static String failureOf(Map<String, String> yaml) {
        BindException failure = org.assertj.core.api.Assertions.catchThrowableOfType(BindException.class,
                () -> bind(yaml));
        assertThat(failure).isNotNull();
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    @Test
    void defaultsApplyWithoutAnyConfiguration() {
        FabricProperties properties = bind(Map.of());
        assertThat(properties.switches()).isEqualTo(64);
        assertThat(properties.metrics()).isEqualTo(Metric.DEFAULT_NAMES);
        assertThat(properties.period()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.seed()).isNull();
        assertThat(properties.linkCapacityGbps()).isEqualTo(400);
        assertThat(properties.portsPerSwitch()).isEqualTo(40);
    }

    @Test
    void portsPerSwitchBindsFromTheFileAndTheEnvironment() {
        assertThat(bind(Map.of("generator.ports-per-switch", "128")).portsPerSwitch()).isEqualTo(128);
        assertThat(bindEnvironment(Map.of("GENERATOR_PORTS_PER_SWITCH", "1")).portsPerSwitch()).isEqualTo(1);
    }

    @Test
    void portsPerSwitchOutsideOneTo128IsRefusedNamingTheSettingAndValue() {
        assertThat(failureOf(Map.of("generator.ports-per-switch", "0")))
                .contains("generator.ports-per-switch").contains("GENERATOR_PORTS_PER_SWITCH")
                .contains("between 1 and 128").contains("but was 0");
        assertThat(failureOf(Map.of("generator.ports-per-switch", "129")))
                .contains("GENERATOR_PORTS_PER_SWITCH").contains("but was 129");
        assertThat(bind(Map.of("generator.ports-per-switch", "1")).portsPerSwitch()).isEqualTo(1);
    }

    @Test
    void moreThanAMillionPortsInAllIsRefusedNamingBothSettings() {
        assertThat(failureOf(Map.of("generator.switches", "25001")))
                .contains("GENERATOR_SWITCHES").contains("GENERATOR_PORTS_PER_SWITCH")
                .contains("at most 1000000 ports").contains("25001 x 40 = 1000040");
        assertThat(bind(Map.of("generator.switches", "25000")).switches()).isEqualTo(25_000);
        assertThat(bind(Map.of("generator.switches", "1000000", "generator.ports-per-switch", "1")).switches())
                .isEqualTo(1_000_000);
    }

    @Test
    void bindsEverySettingFromTheFileKeys() {
        FabricProperties properties = bind(Map.of(
                "generator.switches", "1000",
                "generator.metrics", "latency_us,link_state",
                "generator.period", "250ms",
                "generator.seed", "7",
                "generator.link-capacity-gbps", "100",
                "generator.latency-spike-probability", "0.5",
                "generator.link-down-probability", "0.25",
                "generator.error-burst-probability", "0.125"));
        assertThat(properties).isEqualTo(new FabricProperties(1000, java.util.List.of("latency_us", "link_state"),
                Duration.ofMillis(250), 7L, 100, 0.5, 0.25, 0.125));
    }

    @Test
    void environmentVariablesOverrideThroughRelaxedBinding() {
        FabricProperties properties = bindEnvironment(Map.of(
                "GENERATOR_SWITCHES", "3",
                "GENERATOR_PERIOD", "2s",
                "GENERATOR_SEED", "-5",
                "GENERATOR_METRICS", "temperature_c,packet_errors",
                "GENERATOR_LINK_DOWN_PROBABILITY", "0.5"));
        assertThat(properties.switches()).isEqualTo(3);
        assertThat(properties.period()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.seed()).isEqualTo(-5L);
        assertThat(properties.metrics()).containsExactly("temperature_c", "packet_errors");
        assertThat(properties.linkDownProbability()).isEqualTo(0.5);
    }

    @Test
    void switchCountBelowOneIsRefusedNamingTheSettingAndValue() {
        assertThat(failureOf(Map.of("generator.switches", "0")))
                .contains("generator.switches").contains("GENERATOR_SWITCHES").contains("but was 0");
    }

    @Test
    void unknownMetricIsRefusedNamingItAndTheKnownOnes() {
        assertThat(failureOf(Map.of("generator.metrics", "latency_us,jitter_ms")))
                .contains("generator.metrics").contains("'jitter_ms'").contains("bandwidth_gbps");
    }

    @Test
    void repeatedMetricIsRefused() {
        assertThat(failureOf(Map.of("generator.metrics", "latency_us,latency_us")))
                .contains("'latency_us' more than once");
    }

    @Test
    void zeroPeriodIsRefused() {
        assertThat(failureOf(Map.of("generator.period", "0s")))
                .contains("generator.period").contains("must be positive").contains("PT0S");
    }

    @Test
    void probabilityOutsideZeroToOneIsRefused() {
        assertThat(failureOf(Map.of("generator.link-down-probability", "1.5")))
                .contains("generator.link-down-probability").contains("1.5");
    }

    @Test
    void nonPositiveLinkCapacityIsRefused() {
        assertThat(failureOf(Map.of("generator.link-capacity-gbps", "-1")))
                .contains("generator.link-capacity-gbps").contains("-1.0");
    }

    @Test
    void textWhereANumberBelongsIsRefusedByTheBinder() {
        assertThatExceptionOfType(BindException.class)
                .isThrownBy(() -> bind(Map.of("generator.switches", "many")))
                .withMessageContaining("generator");
    }
}
