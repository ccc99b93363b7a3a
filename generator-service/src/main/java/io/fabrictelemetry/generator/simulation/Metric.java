package io.fabrictelemetry.generator.simulation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalogue of metrics the simulation can produce. The CSV column names are part of the
 * contract with consumers; so is the unit each name carries.
 */
public enum Metric {
    BANDWIDTH_GBPS("bandwidth_gbps", "gauge", "gigabits per second, 2 decimals, 0 while the link is down"),
    UTILIZATION_PCT("utilization_pct", "gauge", "percent of link capacity, 2 decimals, 0 while the link is down"),
    LATENCY_US("latency_us", "gauge", "microseconds, 3 decimals, empty (no reading) while the link is down"),
    PACKET_ERRORS("packet_errors", "counter", "packets, integer, never decreases while the process runs"),
    DROPPED_PACKETS("dropped_packets", "counter", "packets, integer, never decreases while the process runs"),
    LINK_STATE("link_state", "state", "1 = up, 0 = down"),
    LINK_DOWN_COUNT("link_down_count", "counter", "link-down episodes since the process started, integer"),
    TEMPERATURE_C("temperature_c", "gauge", "degrees Celsius, 1 decimal"),
    RX_BYTES("rx_bytes", "counter", "bytes received, integer, never decreases (not in the default set)"),
    TX_BYTES("tx_bytes", "counter", "bytes transmitted, integer, never decreases (not in the default set)");

    /** The default columns, in their default order. */
    public static final List<String> DEFAULT_NAMES = List.of(
            "bandwidth_gbps", "utilization_pct", "latency_us", "packet_errors",
            "dropped_packets", "link_state", "link_down_count", "temperature_c");

    private final String columnName;
    private final String kind;
    private final String unit;

    Metric(String columnName, String kind, String unit) {
        this.columnName = columnName;
        this.kind = kind;
        this.unit = unit;
    }

    public String columnName() {
        return columnName;
    }

    public String kind() {
        return kind;
    }

    public String unit() {
        return unit;
    }

    public static Optional<Metric> byColumnName(String name) {
        return Arrays.stream(values()).filter(m -> m.columnName.equals(name)).findFirst();
    }

    static String knownNames() {
        return Arrays.stream(values()).map(Metric::columnName).collect(Collectors.joining(", "));
    }
}
