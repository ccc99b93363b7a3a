package io.fabrictelemetry.generator.simulation;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;

/**
 * The simulated fabric: its switches and their ports, advanced one period at a time from a single
 * seeded source of randomness, and rendered as the two CSV views consumers read: one row per
 * switch ({@code /counters}, derived from its ports) and one row per port in UFM Telemetry's
 * layout ({@code /csv/metrics}). Not thread-safe: one thread advances and renders it
 * ({@link SimulationLoop}).
 */
final class Fabric {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] PORTS_HEADER = (PortColumn.header() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    /** The first generation's guess at a /csv/metrics row; later ones start from the previous size. */
    private static final int PORT_ROW_ESTIMATE = 200;

    private final FabricProperties config;
    private final List<Metric> columns;
    private final SplittableRandom random;
    private final Ports ports;
    private final SwitchState[] switches;
    private final double periodSeconds;
    /** Per switch, what every row of its ports repeats: {@code ,<guid>,,<guid>,<guid>,}. */
    private final byte[][] portRowIdentity;
    /** Per switch, {@code ,<switch id>,}: node_description. */
    private final byte[][] portRowDescription;
    private int lastPortsLength;

    Fabric(FabricProperties config, long seed) {
        this.config = config;
        this.columns = config.columns();
        this.random = new SplittableRandom(seed);
        this.periodSeconds = config.period().toNanos() / 1e9;
        this.ports = new Ports(config.switches(), config.portsPerSwitch());
        this.switches = new SwitchState[config.switches()];
        this.portRowIdentity = new byte[switches.length][];
        this.portRowDescription = new byte[switches.length][];
        int width = Math.max(4, String.valueOf(config.switches()).length());
        for (int i = 0; i < switches.length; i++) {
            String id = switchId(i + 1, width);
            switches[i] = new SwitchState(id, random, ports, i * ports.perSwitch);
            String guid = nodeGuid(i + 1);
            // source_id is the node GUID, as UFM Telemetry writes it; tag is empty; a switch's ports share its port_guid
            portRowIdentity[i] = ("," + guid + ",," + guid + "," + guid + ",").getBytes(StandardCharsets.US_ASCII);
            portRowDescription[i] = ("," + id + ",").getBytes(StandardCharsets.US_ASCII);
        }
    }

    static String switchId(int number, int width) {
        StringBuilder id = new StringBuilder("sw-");
        String digits = Integer.toString(number);
        id.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
        return id.toString();
    }

    /**
     * The node GUID of switch {@code number} (1-based): {@code 0x} and 16 lower-case hexadecimal
     * digits, a Mellanox-style prefix ({@code 0002c9} OUI, {@code 0300}) and 24 bits that are a
     * bijective scramble of the number. So a switch keeps its GUID across restarts (its name, the
     * same number, gives the same GUID) and no two switches of a fabric share one (at most 2^24).
     */
    static String nodeGuid(int number) {
        int x = (number * 0x9E3779) & 0xFFFFFF;
        x ^= x >>> 12;
        x = (x * 0x2545F5) & 0xFFFFFF;
        x ^= x >>> 11;
        String low = Integer.toHexString(x);
        return "0x0002c90300" + "0".repeat(6 - low.length()) + low;
    }

    void advance() {
        for (SwitchState state : switches) {
            state.advance(random, config, periodSeconds);
        }
    }

    /** Switches with at least one port down ({@code link_state} 0). */
    int switchesDown() {
        int down = 0;
        for (SwitchState state : switches) {
            if (!state.isUp()) {
                down++;
            }
        }
        return down;
    }

    int portsDown() {
        int down = 0;
        for (int port = 0; port < ports.count; port++) {
            if (!ports.isUp(port)) {
                down++;
            }
        }
        return down;
    }

    int portCount() {
        return ports.count;
    }

    /**
     * {@code /counters}: RFC 4180 CSV (CRLF line ends), UTF-8: a header row, then one row per switch
     * in ID order, each derived from its ports (see {@link #format}).
     */
    byte[] renderCsv() {
        StringWriter out = new StringWriter(switches.length * (12 + columns.size() * 10));
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out);
        List<String> header = new ArrayList<>(columns.size() + 1);
        header.add("switch_id");
        columns.forEach(m -> header.add(m.columnName()));
        csv.writeRecord(header);
        String[] row = new String[columns.size() + 1];
        StringBuilder cell = new StringBuilder(24);
        for (SwitchState state : switches) {
            row[0] = state.id();
            for (int c = 0; c < columns.size(); c++) {
                cell.setLength(0);
                format(columns.get(c), state, cell);
                row[c + 1] = cell.toString();
            }
            csv.writeRecord(row);
        }
        // CsvWriter over a StringWriter buffers internally; closing flushes (a StringWriter cannot fail)
        try {
            csv.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A switch's cell, from its ports where the port view has the quantity: counters are the sums
     * of its ports' counters, bandwidth and utilisation the maximum of its ports' gauges (the busiest
     * port), exactly as the port view writes them. Latency and temperature are the switch's own.
     */
    private void format(Metric metric, SwitchState s, StringBuilder cell) {
        switch (metric) {
            case BANDWIDTH_GBPS -> appendCents(cell, maxCbwCents(s));
            case UTILIZATION_PCT -> Decimals.appendFixed(cell, maxNormalizedCbw(s), 2);
            case LATENCY_US -> {
                double latency = s.latencyUs();
                if (!Double.isNaN(latency)) {
                    Decimals.appendFixed(cell, latency, 3);
                }
            }
            case PACKET_ERRORS -> cell.append(sum(s, PortColumn.RCV_ERRORS));
            case DROPPED_PACKETS -> cell.append(sum(s, PortColumn.XMT_DISCARDS));
            case LINK_STATE -> cell.append(s.isUp() ? 1 : 0);
            case LINK_DOWN_COUNT -> cell.append(sum(s, PortColumn.LINK_DOWNED));
            case TEMPERATURE_C -> Decimals.appendFixed(cell, s.temperatureC(), 1);
            case RX_BYTES -> cell.append(sum(s, PortColumn.MB_IN));
            case TX_BYTES -> cell.append(sum(s, PortColumn.MB_OUT));
        }
    }

    private long sum(SwitchState s, PortColumn column) {
        long sum = 0;
        for (int p = 0; p < ports.perSwitch; p++) {
            sum += ports.counter(s.firstPort() + p, column);
        }
        return sum;
    }

    private long maxCbwCents(SwitchState s) {
        long max = 0;
        for (int p = 0; p < ports.perSwitch; p++) {
            max = Math.max(max, ports.cbwCents[s.firstPort() + p]);
        }
        return max;
    }

    private double maxNormalizedCbw(SwitchState s) {
        double max = 0;
        for (int p = 0; p < ports.perSwitch; p++) {
            max = Math.max(max, ports.normalizedCbw[s.firstPort() + p]);
        }
        return max;
    }

    /** Hundredths as a 2-decimal number: {@code 16342} is {@code 163.42}. */
    private static void appendCents(StringBuilder cell, long cents) {
        cell.append(cents / 100).append('.');
        long fraction = cents % 100;
        if (fraction < 10) {
            cell.append('0');
        }
        cell.append(fraction);
    }

    /**
     * {@code /csv/metrics}: UFM Telemetry's layout, CRLF line ends, ASCII. The header, then one row
     * per port, switch by switch in ID order, ports ascending from 1; every row carries the
     * generation's sample time in microseconds since the epoch.
     */
    CsvBody renderPortsCsv(long timestampMicros) {
        AsciiBuffer out = new AsciiBuffer(lastPortsLength > 0 ? lastPortsLength + (lastPortsLength >> 4)
                : PORTS_HEADER.length + ports.count * PORT_ROW_ESTIMATE);
        out.append(PORTS_HEADER);
        AsciiBuffer stamp = new AsciiBuffer(20);
        stamp.appendLong(timestampMicros);
        byte[] timestamp = stamp.toByteArray();
        for (int s = 0; s < switches.length; s++) {
            byte[] identity = portRowIdentity[s];
            byte[] description = portRowDescription[s];
            int first = switches[s].firstPort();
            for (int p = 0; p < ports.perSwitch; p++) {
                int port = first + p;
                out.append(timestamp).append(identity).appendLong(p + 1L).append(description);
                int base = port * Ports.COUNTERS;
                for (int c = 0; c < Ports.COUNTERS; c++) {
                    if (c > 0) {
                        out.append((byte) ',');
                    }
                    out.appendLong(ports.counters[base + c]);
                }
                out.append((byte) ',');
                appendCents(out, ports.cbwCents[port]);
                out.append((byte) ',');
                Decimals.appendSignificant(out, ports.normalizedCbw[port]);
                out.append((byte) ',');
                Decimals.appendSignificant(out, ports.normalizedMbOut[port]);
                out.append(CRLF);
            }
        }
        lastPortsLength = out.length();
        return out.toBody();
    }

    /** Hundredths as the shortest decimal: {@code 16342} is {@code 163.42}, {@code 16340} {@code 163.4}, 0 {@code 0}. */
    private static void appendCents(AsciiBuffer out, long cents) {
        out.appendLong(cents / 100);
        long fraction = cents % 100;
        if (fraction != 0) {
            out.append((byte) '.');
            if (fraction < 10) {
                out.append((byte) '0').appendLong(fraction);
            } else {
                out.appendLong(fraction % 10 == 0 ? fraction / 10 : fraction);
            }
        }
    }

    /** For tests: the live state of each switch, in ID order. */
    SwitchState[] switches() {
        return switches;
    }

    /** For tests: the live state of every port. */
    Ports ports() {
        return ports;
    }
}
