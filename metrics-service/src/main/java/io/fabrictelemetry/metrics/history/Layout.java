package io.fabrictelemetry.metrics.history;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The shape shared by consecutive frames: the switches in row order and the metrics in column
 * order. Frames only store cells; a switch is found through a sorted permutation of the rows (4
 * bytes per switch) rather than a hash map (some 50).
 */
final class Layout {

    private final List<String> metrics;
    private final String[] switchIds;
    private final int[] sortedRows;
    private final long bytes;

    private Layout(List<String> metrics, String[] switchIds) {
        this.metrics = List.copyOf(metrics);
        this.switchIds = switchIds;
        Integer[] order = new Integer[switchIds.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(row -> switchIds[row]));
        this.sortedRows = new int[order.length];
        long idBytes = 0;
        for (int i = 0; i < order.length; i++) {
            sortedRows[i] = order[i];
            idBytes += 48 + switchIds[i].length(); // String, its byte[], the array slot, the permutation
        }
        long metricBytes = 0;
        for (String metric : metrics) {
            metricBytes += 48 + metric.length();
        }
        this.bytes = 64 + idBytes + metricBytes;
    }

    static Layout of(Columns columns) {
        String[] ids = new String[columns.rows()];
        for (int row = 0; row < ids.length; row++) {
            ids[row] = columns.switchId(row);
        }
        return new Layout(columns.metrics(), ids);
    }

    boolean matches(Columns columns) {
        if (columns.rows() != switchIds.length || !columns.metrics().equals(metrics)) {
            return false;
        }
        for (int row = 0; row < switchIds.length; row++) {
            if (!switchIds[row].equals(columns.switchId(row))) {
                return false;
            }
        }
        return true;
    }

    int width() {
        return metrics.size();
    }

    int cells() {
        return switchIds.length * metrics.size();
    }

    /** The row of a switch, or -1. */
    int row(String switchId) {
        int lo = 0;
        int hi = sortedRows.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int cmp = switchIds[sortedRows[mid]].compareTo(switchId);
            if (cmp < 0) {
                lo = mid + 1;
            } else if (cmp > 0) {
                hi = mid - 1;
            } else {
                return sortedRows[mid];
            }
        }
        return -1;
    }

    /** The column of a metric, or -1. */
    int column(String metric) {
        return metrics.indexOf(metric);
    }

    /** An estimate of the heap this layout holds. */
    long bytes() {
        return bytes;
    }
}
