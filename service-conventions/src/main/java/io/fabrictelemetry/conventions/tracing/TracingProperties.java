package io.fabrictelemetry.conventions.tracing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What is traced: {@code tracing.*} in the service's configuration file, or the environment variable
 * {@code TRACING_SAMPLING_PROBABILITY}.
 *
 * @param samplingProbability share of the traces that start in this service which are recorded and
 *                            exported, between 0 and 1; a poll ({@link TracingConfiguration#POLL_SPAN})
 *                            is always recorded; a request whose caller sent a {@code traceparent}
 *                            follows the caller's decision in the generator, and in the metrics-service
 *                            only above 0 (at 0 it makes no request span at all, not even reading the
 *                            header)
 */
@ConfigurationProperties("tracing")
public record TracingProperties(@DefaultValue("0") double samplingProbability) {

    public TracingProperties {
        if (!(samplingProbability >= 0 && samplingProbability <= 1)) {
            throw new IllegalArgumentException("tracing.sampling-probability (TRACING_SAMPLING_PROBABILITY) must be "
                    + "between 0 and 1, but was " + samplingProbability);
        }
    }
}
