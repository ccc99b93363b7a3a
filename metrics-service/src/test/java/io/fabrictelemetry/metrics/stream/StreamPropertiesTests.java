package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Binding as Spring Boot does it, from environment variables, without a context. */
class StreamPropertiesTests {

    private static StreamProperties bind(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return new Binder(ConfigurationPropertySources.get(environment)).bindOrCreate("stream", StreamProperties.class);
    }

    @Test
    void defaultsAreAKeepaliveEvery15sAndAtMost256Clients() {
        StreamProperties stream = bind(Map.of());
        assertThat(stream.keepalive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(stream.maxClients()).isEqualTo(256);
        assertThat(stream.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(stream.maxPendingBytes()).isEqualTo(DataSize.ofMegabytes(64));
    }

    @Test
    void environmentVariablesOverrideTheDefaults() {
        StreamProperties stream = bind(Map.of("STREAM_KEEPALIVE", "5s", "STREAM_MAX_CLIENTS", "10",
                "STREAM_WRITE_TIMEOUT", "1m", "STREAM_MAX_PENDING_BYTES", "16MB"));
        assertThat(stream.keepalive()).isEqualTo(Duration.ofSeconds(5));
        assertThat(stream.maxClients()).isEqualTo(10);
        assertThat(stream.writeTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(stream.maxPendingBytes()).isEqualTo(DataSize.ofMegabytes(16));
    }

    @Test
    void aZeroKeepaliveIsRefusedNamingTheVariable() {
        Throwable error = catchThrowable(() -> bind(Map.of("STREAM_KEEPALIVE", "0s")));
        while (error.getCause() != null) {
            error = error.getCause();
        }
        assertThat(error).hasMessageContaining("STREAM_KEEPALIVE");
    }

    @Test
    void aNegativePendingBytesBudgetIsRefusedNamingTheVariable() {
        Throwable error = catchThrowable(() -> bind(Map.of("STREAM_MAX_PENDING_BYTES", "-1MB")));
        while (error.getCause() != null) {
            error = error.getCause();
        }
        assertThat(error).hasMessageContaining("STREAM_MAX_PENDING_BYTES");
    }
}
