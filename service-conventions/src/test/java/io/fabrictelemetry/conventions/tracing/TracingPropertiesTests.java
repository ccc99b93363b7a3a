package io.fabrictelemetry.conventions.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Binding as Spring Boot does it, from environment variables, without a context. */
class TracingPropertiesTests {

    private static Binder environment(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        return new Binder(ConfigurationPropertySources.get(environment));
    }

    @Test
    void apiRequestsAreNotSampledByDefault() {
        assertThat(environment(Map.of()).bindOrCreate("tracing", TracingProperties.class).samplingProbability())
                .isZero();
    }

    @Test
    void theDocumentedEnvironmentVariableSetsTheProbability() {
        assertThat(environment(Map.of("TRACING_SAMPLING_PROBABILITY", "0.25"))
                .bindOrCreate("tracing", TracingProperties.class).samplingProbability()).isEqualTo(0.25);
    }

    @Test
    void aProbabilityOutsideZeroToOneIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"1.5", "-0.1", "NaN"}) {
            Throwable error = catchThrowable(() -> environment(Map.of("TRACING_SAMPLING_PROBABILITY", bad))
                    .bindOrCreate("tracing", TracingProperties.class));
            Throwable root = error;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertThat(root).as(bad).hasMessageContaining("TRACING_SAMPLING_PROBABILITY")
                    .hasMessageContaining("between 0 and 1");
        }
    }
}
