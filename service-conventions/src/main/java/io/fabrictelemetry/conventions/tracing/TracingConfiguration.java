package io.fabrictelemetry.conventions.tracing;

import java.util.Set;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Imported by both applications: the sampler that Spring Boot's OpenTelemetry auto-configuration
 * uses instead of its own (a ratio of 0.1 by default, for every trace alike).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TracingProperties.class)
public class TracingConfiguration {

    /** The root span of one poll of the metrics-service: always sampled. */
    public static final String POLL_SPAN = "fabric.poll";

    @Bean
    Sampler fabricSampler(TracingProperties tracing) {
        return SampledRoots.parentBased(Set.of(POLL_SPAN), tracing.samplingProbability());
    }
}
