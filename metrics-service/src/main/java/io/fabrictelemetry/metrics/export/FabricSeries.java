package io.fabrictelemetry.metrics.export;

import java.util.Map;

import io.prometheus.metrics.model.snapshots.PrometheusNaming;

/**
 * How a CSV column becomes a Prometheus series: a name in base units following Prometheus
 * conventions, a type, and the factor that converts the column's unit to the base unit.
 *
 * @param name   the metric family name, without the {@code _total} a counter gets when written
 * @param counter whether it is a counter (else a gauge)
 * @param factor multiplier from the CSV unit to the series unit
 * @param help   the HELP text, naming the CSV column and its unit
 */
record FabricSeries(String name, boolean counter, double factor, String help) {

    private static final Map<String, FabricSeries> KNOWN = Map.of(
            "bandwidth_gbps", new FabricSeries("fabric_bandwidth_bytes_per_second", false, 1.25e8,
                    "Bandwidth in use, from CSV column bandwidth_gbps (Gb/s)"),
            "utilization_pct", new FabricSeries("fabric_utilization_ratio", false, 0.01,
                    "Link utilization, from CSV column utilization_pct (percent)"),
            "latency_us", new FabricSeries("fabric_latency_seconds", false, 1e-6,
                    "Switch latency, from CSV column latency_us (microseconds)"),
            "packet_errors", new FabricSeries("fabric_packet_errors", true, 1,
                    "Packet errors since the generator started, from CSV column packet_errors (packets)"),
            "dropped_packets", new FabricSeries("fabric_dropped_packets", true, 1,
                    "Dropped packets since the generator started, from CSV column dropped_packets (packets)"),
            "link_state", new FabricSeries("fabric_link_state", false, 1,
                    "Link state, from CSV column link_state (1 up, 0 down)"),
            "link_down_count", new FabricSeries("fabric_link_down", true, 1,
                    "Link-down episodes since the generator started, from CSV column link_down_count"),
            "temperature_c", new FabricSeries("fabric_temperature_celsius", false, 1,
                    "Switch temperature, from CSV column temperature_c (degrees Celsius)"),
            "rx_bytes", new FabricSeries("fabric_received_bytes", true, 1,
                    "Bytes received since the generator started, from CSV column rx_bytes (bytes)"),
            "tx_bytes", new FabricSeries("fabric_transmitted_bytes", true, 1,
                    "Bytes transmitted since the generator started, from CSV column tx_bytes (bytes)"));

    /**
     * The series of a column: a known mapping, or the gauge {@code fabric_<column>} named by the
     * client library's own rules ({@link PrometheusNaming}): characters outside the classic name
     * set escaped to {@code _} as the text format writes them, then the suffixes the library
     * reserves ({@code _total}, {@code _created}, {@code _bucket}, {@code _info}, ...) removed, so
     * that {@code crc_errors_total} becomes {@code fabric_crc_errors}. Two columns may map to one
     * name; the exporter keeps the first.
     *
     * @throws IllegalArgumentException when the library cannot make a valid name of the column
     */
    static FabricSeries forColumn(String column) {
        FabricSeries known = KNOWN.get(column);
        if (known != null) {
            return known;
        }
        String name = PrometheusNaming.sanitizeMetricName(PrometheusNaming.prometheusName("fabric_" + column));
        if (!PrometheusNaming.isValidLegacyMetricName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid metric name");
        }
        return new FabricSeries(name, false, 1, "Value of CSV column " + printable(column)
                + " (unit as the generator sends it)");
    }

    /** A column name for HELP texts and logs: bounded, without control characters. */
    static String printable(String column) {
        String shown = column.length() > 80 ? column.substring(0, 80) + "…" : column;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
