package io.fabrictelemetry.conventions.tracing;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Reads OpenTelemetry's own endpoint variables, which Spring Boot 4.0 does not: when
 * {@value #SPRING_PROPERTY} is not set, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the traces URL, used
 * as is) or else {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a base URL, to which {@code /v1/traces} is
 * appended, as the OpenTelemetry specification says for OTLP over HTTP) sets it. Spring Boot creates
 * the OTLP span exporter only when that property is set: with none of the three, nothing is exported.
 */
public class OtlpTracesEndpoint implements EnvironmentPostProcessor {

    static final String SPRING_PROPERTY = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    static final String BASE_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(SPRING_PROPERTY)) {
            return;
        }
        String url = tracesUrl(environment.getProperty(TRACES_ENDPOINT), environment.getProperty(BASE_ENDPOINT));
        if (url != null) {
            environment.getPropertySources().addLast(
                    new MapPropertySource("OpenTelemetry OTLP endpoint variables", Map.of(SPRING_PROPERTY, url)));
        }
    }

    /** The traces URL that OpenTelemetry's variables name, or {@code null} when they name none. */
    static @Nullable String tracesUrl(@Nullable String tracesEndpoint, @Nullable String baseEndpoint) {
        if (tracesEndpoint != null && !tracesEndpoint.isBlank()) {
            return tracesEndpoint.strip();
        }
        if (baseEndpoint != null && !baseEndpoint.isBlank()) {
            String base = baseEndpoint.strip();
            return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
        }
        return null;
    }
}
