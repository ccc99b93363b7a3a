package io.fabrictelemetry.metrics.export;

import java.util.Map;

import org.jspecify.annotations.Nullable;

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

    /**
     * A reading in the series' unit, for port rows: a factor below 1 (a percent, a microsecond: 1/100,
     * 1/1e6) is applied as a division by its whole inverse, which rounds once, so that
     * {@code 5.48295e-7} percent is the ratio {@code 5.48295E-9}, not {@code 5.482950000000001E-9}.
     */
    double toBaseUnit(double value) {
        return factor >= 1 ? value * factor : value / Math.rint(1 / factor);
    }

    /** The prefix of every per-port series, apart from the switch series' {@code fabric_}. */
    static final String PORT_PREFIX = "fabric_port_";

    /**
     * A unit UFM writes after {@code _u_} that Prometheus has a base unit for: the suffix the
     * series gets and the factor to it (bits are exported as bytes, percents as ratios).
     */
    record BaseUnit(String suffix, double factor) {
    }

    /**
     * Case-sensitive, as UFM writes them. {@code Gb} is the exception that UFM's own data makes:
     * its {@code _u_Gb} counters ({@code Infiniband_MBOut_u_Gb}, {@code Infiniband_MBIn_u_Gb}) hold
     * bytes (NVIDIA's public sample {@code small_telemetry.json} has exactly 288 of them per packet
     * on every port), so they are bytes as they are. {@code Gbps} is bits per second.
     */
    static final Map<String, BaseUnit> BASE_UNITS = Map.ofEntries(
            Map.entry("Gb", new BaseUnit("bytes", 1)),
            Map.entry("Gbps", new BaseUnit("bytes_per_second", 1.25e8)),
            Map.entry("Mbps", new BaseUnit("bytes_per_second", 1.25e5)),
            Map.entry("B", new BaseUnit("bytes", 1)),
            Map.entry("Bytes", new BaseUnit("bytes", 1)),
            Map.entry("MB", new BaseUnit("bytes", 1e6)),
            Map.entry("GB", new BaseUnit("bytes", 1e9)),
            Map.entry("Percent", new BaseUnit("ratio", 0.01)),
            Map.entry("s", new BaseUnit("seconds", 1)),
            Map.entry("ms", new BaseUnit("seconds", 1e-3)),
            Map.entry("us", new BaseUnit("seconds", 1e-6)),
            Map.entry("ns", new BaseUnit("seconds", 1e-9)),
            Map.entry("C", new BaseUnit("celsius", 1)),
            Map.entry("Celsius", new BaseUnit("celsius", 1)));

    /**
     * The series of a column of port rows (UFM Telemetry's {@code <Name>_u_<Unit>}, {@code _f_u_}
     * for a computed value), by one rule:
     * <ol>
     * <li>{@code fabric_port_}, then the name before {@code _u_} (without the {@code _f} of a computed
     * value) in snake case: an {@code _} before every upper-case letter that follows a lower-case
     * letter or a digit, then all lower case ({@code Infiniband_SymbolErrors} →
     * {@code infiniband_symbol_errors}, {@code Infiniband_MBOut} → {@code infiniband_mbout},
     * {@code Infiniband_VL15Dropped} → {@code infiniband_vl15_dropped});</li>
     * <li>a unit in the narrow sense becomes its Prometheus base unit, appended, and the values are
     * converted ({@link #BASE_UNITS}: {@code Gb} → {@code _bytes} (UFM writes bytes there), {@code Gbps}
     * → {@code _bytes_per_second} × 1.25e8, {@code Percent} → {@code _ratio} ÷ 100); any other unit names the
     * countable thing ({@code Errors}, {@code Packets}, {@code Drops}, {@code Ticks}, {@code count}) and
     * is not appended (Prometheus's naming practice: unit suffixes are for units, not countable
     * things), the HELP text keeps it;</li>
     * <li>a column without {@code _u_} is named alike, without a unit;</li>
     * <li>then the client library's rules, as for switch rows: characters outside the classic set
     * become {@code _} and reserved suffixes ({@code _total}, {@code _info}, …) are dropped;</li>
     * <li>a counter ({@code METRICS_COUNTERS}) is exported as a counter, written with {@code _total};
     * everything else is a gauge.</li>
     * </ol>
     *
     * @param counter whether the column is a counter (matched by {@code METRICS_COUNTERS})
     * @throws IllegalArgumentException when no valid name can be made of the column
     */
    static FabricSeries forPortColumn(String column, boolean counter) {
        int at = column.lastIndexOf("_u_");
        boolean hasUnit = at > 0 && at + 3 < column.length();
        String name = hasUnit ? column.substring(0, at) : column;
        String unit = hasUnit ? column.substring(at + 3) : null;
        if (hasUnit && name.endsWith("_f") && name.length() > 2) {
            name = name.substring(0, name.length() - 2);
        }
        BaseUnit base = unit == null ? null : BASE_UNITS.get(unit);
        String full = PORT_PREFIX + snakeCase(name) + (base == null ? "" : "_" + base.suffix());
        String sanitized = PrometheusNaming.sanitizeMetricName(PrometheusNaming.prometheusName(full));
        if (!PrometheusNaming.isValidLegacyMetricName(sanitized) || sanitized.length() <= PORT_PREFIX.length()) {
            throw new IllegalArgumentException("'" + sanitized + "' is not a valid metric name");
        }
        return new FabricSeries(sanitized, counter, base == null ? 1 : base.factor(),
                portHelp(column, unit, base, counter));
    }

    private static String portHelp(String column, @Nullable String unit, @Nullable BaseUnit base, boolean counter) {
        StringBuilder help = new StringBuilder(counter ? "Counter" : "Value").append(" of each port, from CSV column ")
                .append(printable(column));
        if (base != null) {
            help.append(" (").append(unit).append(base.factor() == 1 && !unit.equalsIgnoreCase(base.suffix())
                    ? ", which holds " : ", exported in ").append(base.suffix().replace('_', ' ')).append(')');
        } else if (unit != null) {
            help.append(" (").append(printable(unit)).append(')');
        }
        return help.toString();
    }

    /** An {@code _} before each upper-case letter that follows a lower-case letter or a digit, then lower case. */
    static String snakeCase(String name) {
        StringBuilder snake = new StringBuilder(name.length() + 8);
        char previous = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && (Character.isLowerCase(previous) || Character.isDigit(previous))) {
                snake.append('_');
            }
            snake.append(Character.toLowerCase(c));
            previous = c;
        }
        return snake.toString();
    }

    /** A column name for HELP texts and logs: bounded, without control characters. */
    static String printable(String column) {
        String shown = column.length() > 80 ? column.substring(0, 80) + "…" : column;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
