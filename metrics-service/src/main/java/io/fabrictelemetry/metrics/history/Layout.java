package io.fabrictelemetry.metrics.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * The shape shared by consecutive frames: the rows' identities and the stored columns. Frames
 * only store cells. Rows are switches, or ports grouped by switch; a switch is found through a
 * sorted permutation (4 bytes per switch) rather than a hash map (some 50), a port by a scan of its
 * switch's port numbers. Port rows have one more column than they have metrics: each port's own
 * sample time, as nanoseconds from the frame's ({@link #timeColumn()}): zero when every port is
 * sampled at once, so it costs next to nothing.
 */
final class Layout {

    private final List<String> metrics;
    private final boolean[] counters;
    private final String[] switchIds; // per row for switch rows, per switch for port rows
    private final int[] sortedSwitches;
    private final int @Nullable [] firstRows; // port rows: switch s has rows [firstRows[s], firstRows[s + 1])
    private final int @Nullable [] portNumbers; // port rows: per row
    private final int rows;
    private final long bytes;

    private Layout(List<String> metrics, boolean[] counters, String[] switchIds, int @Nullable [] firstRows,
            int @Nullable [] portNumbers, int rows) {
        this.metrics = List.copyOf(metrics);
        this.counters = counters;
        this.switchIds = switchIds;
        this.firstRows = firstRows;
        this.portNumbers = portNumbers;
        this.rows = rows;
        Integer[] order = new Integer[switchIds.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(index -> switchIds[index]));
        this.sortedSwitches = new int[order.length];
        long idBytes = 0;
        for (int i = 0; i < order.length; i++) {
            sortedSwitches[i] = order[i];
            idBytes += 48 + switchIds[i].length(); // String, its byte[], the array slot, the permutation
        }
        long metricBytes = 0;
        for (String metric : metrics) {
            metricBytes += 49 + metric.length();
        }
        long portBytes = portNumbers == null ? 0 : 4L * portNumbers.length + 4L * firstRows.length + 32;
        this.bytes = 64 + idBytes + metricBytes + portBytes;
    }

    static Layout of(Columns columns) {
        int width = columns.metrics().size();
        boolean[] counters = new boolean[width];
        for (int column = 0; column < width; column++) {
            counters[column] = columns.counter(column);
        }
        if (!columns.portRows()) {
            String[] ids = new String[columns.rows()];
            for (int row = 0; row < ids.length; row++) {
                ids[row] = columns.switchId(row);
            }
            return new Layout(columns.metrics(), counters, ids, null, null, ids.length);
        }
        List<String> switches = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int[] ports = new int[columns.rows()];
        for (int row = 0; row < ports.length; row++) {
            String id = columns.switchId(row);
            if (row == 0 || !id.equals(switches.get(switches.size() - 1))) {
                if (!seen.add(id)) {
                    throw new IllegalArgumentException("port rows of switch '" + id + "' are not consecutive");
                }
                switches.add(id);
                firsts.add(row);
            }
            ports[row] = columns.portNumber(row);
        }
        int[] firstRows = new int[switches.size() + 1];
        for (int s = 0; s < switches.size(); s++) {
            firstRows[s] = firsts.get(s);
        }
        firstRows[switches.size()] = ports.length;
        return new Layout(columns.metrics(), counters, switches.toArray(String[]::new), firstRows, ports, ports.length);
    }

    boolean matches(Columns columns) {
        if (columns.rows() != rows || columns.portRows() != ports() || !columns.metrics().equals(metrics)) {
            return false;
        }
        for (int column = 0; column < counters.length; column++) {
            if (counters[column] != columns.counter(column)) {
                return false;
            }
        }
        if (portNumbers == null) {
            for (int row = 0; row < rows; row++) {
                if (!switchIds[row].equals(columns.switchId(row))) {
                    return false;
                }
            }
            return true;
        }
        for (int s = 0; s < switchIds.length; s++) {
            for (int row = firstRows[s]; row < firstRows[s + 1]; row++) {
                if (portNumbers[row] != columns.portNumber(row) || !switchIds[s].equals(columns.switchId(row))) {
                    return false;
                }
            }
        }
        return true;
    }

    boolean ports() {
        return portNumbers != null;
    }

    List<String> metrics() {
        return metrics;
    }

    /** Stored columns per row: the metrics, and for port rows the ports' own times. */
    int width() {
        return metrics.size() + (ports() ? 1 : 0);
    }

    /** Port rows: the column of each port's sample time, nanoseconds from the frame's. */
    int timeColumn() {
        return metrics.size();
    }

    int rows() {
        return rows;
    }

    int cells() {
        return rows * width();
    }

    /** Index of a switch (its row for switch rows), or -1. */
    int switchIndex(String switchId) {
        int lo = 0;
        int hi = sortedSwitches.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = switchIds[sortedSwitches[mid]].compareTo(switchId);
            if (cmp < 0) {
                lo = mid + 1;
            } else if (cmp > 0) {
                hi = mid - 1;
            } else {
                return sortedSwitches[mid];
            }
        }
        return -1;
    }

    /** The row of a switch in switch rows, or -1 (always for port rows). */
    int row(String switchId) {
        return ports() ? -1 : switchIndex(switchId);
    }

    /** Port rows: the first row of switch {@code s}. */
    int firstRow(int s) {
        return firstRows[s];
    }

    /** Port rows: the row after switch {@code s}'s last. */
    int endRow(int s) {
        return firstRows[s + 1];
    }

    int portNumber(int row) {
        return portNumbers[row];
    }

    /** Port rows: the row of a switch's port, or -1. */
    int portRow(String switchId, int port) {
        int s = ports() ? switchIndex(switchId) : -1;
        if (s < 0) {
            return -1;
        }
        for (int row = firstRows[s]; row < firstRows[s + 1]; row++) {
            if (portNumbers[row] == port) {
                return row;
            }
        }
        return -1;
    }

    /** The stored column of a metric, or -1. */
    int column(String metric) {
        return metrics.indexOf(metric);
    }

    /** Port rows: the counter column whose derived rate {@code metric} is, or -1. */
    int rateOf(String metric) {
        if (!ports() || !metric.endsWith(Snapshot.RATE_SUFFIX) || metrics.contains(metric)) {
            return -1;
        }
        int column = metrics.indexOf(metric.substring(0, metric.length() - Snapshot.RATE_SUFFIX.length()));
        return column >= 0 && counters[column] ? column : -1;
    }

    boolean counter(int column) {
        return counters[column];
    }

    boolean hasMetric(String metric) {
        return column(metric) >= 0 || rateOf(metric) >= 0;
    }

    /** An estimate of the heap this layout holds. */
    long bytes() {
        return bytes;
    }
}
