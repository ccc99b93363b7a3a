package io.fabrictelemetry.metrics.snapshot;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which columns of the generator's payload are cumulative counters: {@code metrics.counters}, or
 * {@code METRICS_COUNTERS} (comma-separated). For each one present in a payload the snapshot gains
 * the derived metric {@code <column>_per_second} ({@link CounterRates}). Empty: no rates at all.
 *
 * @param counters counter column names, in the order their rates are appended to the metrics
 */
@ConfigurationProperties("metrics")
public record CounterProperties(
        @DefaultValue({"packet_errors", "dropped_packets", "link_down_count", "rx_bytes", "tx_bytes"})
        List<String> counters) {

    public CounterProperties {
        counters = counters == null ? List.of() : List.copyOf(counters);
        Set<String> seen = new HashSet<>();
        for (String counter : counters) {
            if (counter == null || counter.isBlank()) {
                throw new IllegalArgumentException("metrics.counters (METRICS_COUNTERS) must not hold an empty name, but was "
                        + counters);
            }
            if (!seen.add(counter)) {
                throw new IllegalArgumentException("metrics.counters (METRICS_COUNTERS) names '" + counter
                        + "' twice: " + counters);
            }
        }
    }

    /** The defaults: the generator's counter columns. */
    public static CounterProperties defaults() {
        return new CounterProperties(List.of("packet_errors", "dropped_packets", "link_down_count", "rx_bytes", "tx_bytes"));
    }

    /** No counters: no rates. */
    public static CounterProperties none() {
        return new CounterProperties(List.of());
    }
}
