package io.fabrictelemetry.conventions.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** OpenTelemetry's endpoint variables, read as the specification defines them for OTLP over HTTP. */
class OtlpTracesEndpointTests {

    private static StandardEnvironment processed(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-env", variables));
        new OtlpTracesEndpoint().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void withNoEndpointVariableNoEndpointIsSetSoSpringBootMakesNoExporter() {
        assertThat(processed(Map.of()).containsProperty(OtlpTracesEndpoint.SPRING_PROPERTY)).isFalse();
        assertThat(processed(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " ")).containsProperty(
                OtlpTracesEndpoint.SPRING_PROPERTY)).isFalse();
    }

    @Test
    void theBaseEndpointGainsTheTracesPath() {
        assertThat(processed(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                .getProperty(OtlpTracesEndpoint.SPRING_PROPERTY)).isEqualTo("http://collector:4318/v1/traces");
        assertThat(processed(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/otlp/"))
                .getProperty(OtlpTracesEndpoint.SPRING_PROPERTY)).isEqualTo("http://collector:4318/otlp/v1/traces");
    }

    @Test
    void theTracesEndpointIsUsedAsItIsAndWinsOverTheBase() {
        assertThat(processed(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/custom"))
                .getProperty(OtlpTracesEndpoint.SPRING_PROPERTY)).isEqualTo("http://tempo:4318/custom");
    }

    @Test
    void theSpringPropertyWinsOverTheVariables() {
        assertThat(processed(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "http://jaeger:4318/v1/traces"))
                .getProperty(OtlpTracesEndpoint.SPRING_PROPERTY)).isEqualTo("http://jaeger:4318/v1/traces");
    }
}
