package io.fabrictelemetry.generator.api;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fault injection on {@code GET /counters}, off by default, so that the consumer's failure
 * isolation can be shown end to end. Bound from {@code generator.faults.*}, e.g.
 * {@code GENERATOR_FAULTS_ERROR_RATE=0.3}. Each rate is the fraction of requests affected.
 *
 * @param errorRate    answer {@code 500} instead of the CSV
 * @param delay        hold the response this long before answering ({@code 0} = never)
 * @param delayRate    fraction of requests that get {@code delay} (when it is non-zero)
 * @param truncateRate announce the full {@code Content-Length}, send half the body, close the connection
 * @param corruptRate  serve the CSV with one row damaged (a non-numeric cell, or a missing cell)
 */
@ConfigurationProperties("generator.faults")
record FaultProperties(
        @DefaultValue("0") double errorRate,
        @DefaultValue("0s") Duration delay,
        @DefaultValue("1") double delayRate,
        @DefaultValue("0") double truncateRate,
        @DefaultValue("0") double corruptRate) {

    FaultProperties {
        requireRate("generator.faults.error-rate (GENERATOR_FAULTS_ERROR_RATE)", errorRate);
        requireRate("generator.faults.delay-rate (GENERATOR_FAULTS_DELAY_RATE)", delayRate);
        requireRate("generator.faults.truncate-rate (GENERATOR_FAULTS_TRUNCATE_RATE)", truncateRate);
        requireRate("generator.faults.corrupt-rate (GENERATOR_FAULTS_CORRUPT_RATE)", corruptRate);
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException(
                    "generator.faults.delay (GENERATOR_FAULTS_DELAY) must be zero or positive, but was " + delay);
        }
    }

    private static void requireRate(String setting, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(setting + " must be between 0 and 1, but was " + value);
        }
    }

    boolean anyEnabled() {
        return errorRate > 0 || (!delay.isZero() && delayRate > 0) || truncateRate > 0 || corruptRate > 0;
    }
}
