package io.fabrictelemetry.generator.simulation;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;

/**
 * The simulated fabric: its switches, advanced one period at a time from a single seeded source
 * of randomness, and rendered as the CSV matrix consumers read. Not thread-safe: one thread
 * advances and renders it ({@link SimulationLoop}).
 */
final class Fabric {

    private final FabricProperties config;
    private final List<Metric> columns;
    private final SplittableRandom random;
    private final SwitchState[] switches;
    private final double periodSeconds;

    Fabric(FabricProperties config, long seed) {
        this.config = config;
        this.columns = config.columns();
        this.random = new SplittableRandom(seed);
        this.periodSeconds = config.period().toNanos() / 1e9;
        this.switches = new SwitchState[config.switches()];
        int width = Math.max(4, String.valueOf(config.switches()).length());
        for (int i = 0; i < switches.length; i++) {
            switches[i] = new SwitchState(switchId(i + 1, width), random);
        }
    }

    static String switchId(int number, int width) {
        StringBuilder id = new StringBuilder("sw-");
        String digits = Integer.toString(number);
        id.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
        return id.toString();
    }

    void advance() {
        for (SwitchState state : switches) {
            state.advance(random, config, periodSeconds);
        }
    }

    int switchesDown() {
        int down = 0;
        for (SwitchState state : switches) {
            if (!state.isUp()) {
                down++;
            }
        }
        return down;
    }

    /** RFC 4180 CSV (CRLF line ends), UTF-8: a header row, then one row per switch in ID order. */
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

    private void format(Metric metric, SwitchState s, StringBuilder cell) {
        switch (metric) {
            case BANDWIDTH_GBPS -> Decimals.appendFixed(cell, s.bandwidthGbps(config), 2);
            case UTILIZATION_PCT -> Decimals.appendFixed(cell, s.utilizationPct(), 2);
            case LATENCY_US -> {
                double latency = s.latencyUs();
                if (!Double.isNaN(latency)) {
                    Decimals.appendFixed(cell, latency, 3);
                }
            }
            case PACKET_ERRORS -> cell.append(s.packetErrors());
            case DROPPED_PACKETS -> cell.append(s.droppedPackets());
            case LINK_STATE -> cell.append(s.isUp() ? 1 : 0);
            case LINK_DOWN_COUNT -> cell.append(s.linkDownCount());
            case TEMPERATURE_C -> Decimals.appendFixed(cell, s.temperatureC(), 1);
            case RX_BYTES -> cell.append(s.rxBytes());
            case TX_BYTES -> cell.append(s.txBytes());
        }
    }

    /** For tests: the live state of each switch, in ID order. */
    SwitchState[] switches() {
        return switches;
    }
}
