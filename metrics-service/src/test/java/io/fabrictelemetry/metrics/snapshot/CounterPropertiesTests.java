package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@code METRICS_COUNTERS} bound as Spring Boot binds it, without a context. */
class CounterPropertiesTests {

    private static CounterProperties bind(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return new Binder(ConfigurationPropertySources.get(environment)).bindOrCreate("metrics", CounterProperties.class);
    }

    private static String rootMessage(Throwable error) {
        while (error.getCause() != null) {
            error = error.getCause();
        }
        return error.getMessage();
    }

    @Test
    void defaultsAreTheGeneratorsCounters() {
        assertThat(bind(Map.of()).counters())
                .containsExactly("packet_errors", "dropped_packets", "link_down_count", "rx_bytes", "tx_bytes");
        assertThat(CounterProperties.defaults()).isEqualTo(bind(Map.of()));
    }

    @Test
    void environmentVariableReplacesTheListInItsOrder() {
        assertThat(bind(Map.of("METRICS_COUNTERS", "tx_bytes,crc_errors")).counters())
                .containsExactly("tx_bytes", "crc_errors");
    }

    @Test
    void emptyEnvironmentVariableTurnsRatesOff() {
        assertThat(bind(Map.of("METRICS_COUNTERS", "")).counters()).isEmpty();
    }

    @Test
    void emptyEnvironmentVariableWinsOverAListInTheConfigFile() {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("config-file",
                Map.of("metrics.counters[0]", "packet_errors", "metrics.counters[1]", "rx_bytes")));
        Binder file = new Binder(ConfigurationPropertySources.get(environment));
        assertThat(file.bindOrCreate("metrics", CounterProperties.class).counters()).containsExactly("packet_errors", "rx_bytes");

        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env",
                Map.of("METRICS_COUNTERS", "")));
        Binder both = new Binder(ConfigurationPropertySources.get(environment));
        assertThat(both.bindOrCreate("metrics", CounterProperties.class).counters()).isEmpty();
    }

    @Test
    void emptyOrRepeatedNameIsRefusedNamingTheVariable() {
        assertThat(rootMessage(catchThrowable(() -> bind(Map.of("METRICS_COUNTERS", "a,,b")))))
                .contains("METRICS_COUNTERS").contains("empty name");
        assertThat(rootMessage(catchThrowable(() -> bind(Map.of("METRICS_COUNTERS", "a,b,a")))))
                .contains("METRICS_COUNTERS").contains("'a' twice");
    }
}
