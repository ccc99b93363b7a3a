package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** Binding as Spring Boot does it, from environment variables, without a context. */
class HistoryPropertiesTests {

    private static HistoryProperties bind(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return new Binder(ConfigurationPropertySources.get(environment)).bindOrCreate("history", HistoryProperties.class);
    }

    @Test
    void defaultsKeepFifteenMinutesWithinSixtyFourMebibytes() {
        HistoryProperties history = bind(Map.of());
        assertThat(history.retention()).isEqualTo(Duration.ofMinutes(15));
        assertThat(history.maxBytes().toBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(history.enabled()).isTrue();
    }

    @Test
    void environmentVariablesOverrideTheDefaults() {
        HistoryProperties history = bind(Map.of("HISTORY_RETENTION", "1h", "HISTORY_MAX_BYTES", "256MB"));
        assertThat(history.retention()).isEqualTo(Duration.ofHours(1));
        assertThat(history.maxBytes()).isEqualTo(DataSize.ofMegabytes(256));
    }

    @Test
    void zeroRetentionOrBudgetTurnsHistoryOff() {
        assertThat(bind(Map.of("HISTORY_RETENTION", "0")).enabled()).isFalse();
        assertThat(bind(Map.of("HISTORY_MAX_BYTES", "0")).enabled()).isFalse();
    }

    @Test
    void negativeRetentionIsRefusedNamingTheVariable() {
        Throwable error = catchThrowable(() -> bind(Map.of("HISTORY_RETENTION", "-1m")));
        while (error.getCause() != null) {
            error = error.getCause();
        }
        assertThat(error).hasMessageContaining("HISTORY_RETENTION");
    }
}
