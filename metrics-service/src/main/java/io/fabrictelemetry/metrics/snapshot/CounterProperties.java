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
 * An entry may hold {@code *}, any run of characters (none included): the defaults name the
 * generator's switch-row counters, then UFM Telemetry's port counters by the unit their names end
 * with ({@code Infiniband_SymbolErrors_u_Errors}, {@code hist0_u_count}), so that its gauges
 * ({@code *_f_u_Gbps}, {@code *_f_u_Percent}) stay gauges. On port rows a counter column's switch
 * aggregate is the sum of its ports', any other column's the maximum.
 *
 * @param counters counter column names or patterns, in the order their rates are appended to the
 *                 metrics (the columns one pattern matches in the payload's order)
 */
@ConfigurationProperties("metrics")
public record CounterProperties(
        @DefaultValue({"packet_errors", "dropped_packets", "link_down_count", "rx_bytes", "tx_bytes",
                "*_u_Errors", "*_u_Packets", "*_u_Gb", "*_u_Ticks", "*_u_Drops", "*_u_count"})
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

    /** The defaults: the generator's counter columns, then UFM Telemetry's counters by their unit. */
    public static CounterProperties defaults() {
        return new CounterProperties(List.of("packet_errors", "dropped_packets", "link_down_count", "rx_bytes", "tx_bytes",
                "*_u_Errors", "*_u_Packets", "*_u_Gb", "*_u_Ticks", "*_u_Drops", "*_u_count"));
    }

    /**
     * The columns of {@code metrics} that are counters, in the order of the entries, each column once
     * (the first entry that matches it places it).
     */
    static int[] columns(List<String> counters, List<String> metrics) {
        int[] found = new int[metrics.size()];
        boolean[] taken = new boolean[metrics.size()];
        int count = 0;
        for (String counter : counters) {
            boolean glob = counter.indexOf('*') >= 0;
            for (int c = 0; c < metrics.size(); c++) {
                if (!taken[c] && (glob ? matches(counter, metrics.get(c)) : counter.equals(metrics.get(c)))) {
                    taken[c] = true;
                    found[count++] = c;
                    if (!glob) {
                        break;
                    }
                }
            }
        }
        return java.util.Arrays.copyOf(found, count);
    }

    /** True when {@code name} matches {@code pattern}, whose {@code *} stands for any run of characters. */
    static boolean matches(String pattern, String name) {
        // the classic greedy wildcard match with one backtrack point: linear in practice, no regex
        // (a metric name may hold any character a regex would read as syntax)
        int p = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** No counters: no rates. */
    public static CounterProperties none() {
        return new CounterProperties(List.of());
    }
}
