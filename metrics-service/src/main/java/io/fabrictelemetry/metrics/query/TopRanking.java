package io.fabrictelemetry.metrics.query;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntToDoubleFunction;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * The best {@value TopSwitchesQuery#MAX_LIMIT} switches (or ports) of a metric in one order, computed
 * once per snapshot, metric and order on the first request that needs them (a bounded heap: one pass
 * over the fabric, never a sort of it), then read by every request for that snapshot in O(limit).
 * Only the latest snapshot's rankings are kept, at most four per metric (switches and ports, each
 * in two orders).
 *
 * <p>Order: by value, then, for equal values, the switch (port) that comes first in the source's
 * output first, in either direction. Switches (ports) without a reading are never ranked. On port
 * rows a switch's value is its aggregate, the snapshot's own cell.
 */
final class TopRanking {

    private record Rankings(Snapshot snapshot, ConcurrentHashMap<Integer, int[]> byColumnAndOrder) {
    }

    private final AtomicReference<@Nullable Rankings> latest = new AtomicReference<>();

    /** Rows of the best switches, best first, at most {@link TopSwitchesQuery#MAX_LIMIT}. */
    int[] rows(Snapshot snapshot, int column, boolean descending) {
        return ranked(snapshot, null, column, descending);
    }

    /** Port rows of the best ports of {@code ports} (the snapshot's), best first, at most {@link TopSwitchesQuery#MAX_LIMIT}. */
    int[] portRows(Snapshot snapshot, PortView ports, int column, boolean descending) {
        return ranked(snapshot, ports, column, descending);
    }

    private int[] ranked(Snapshot snapshot, @Nullable PortView ports, int column, boolean descending) {
        Rankings rankings = latest.get();
        if (rankings == null || rankings.snapshot() != snapshot) {
            if (rankings != null && rankings.snapshot().sequence() > snapshot.sequence()) {
                // a request still holding an older snapshot: answer it, keep the newer rankings
                return compute(snapshot, ports, column, descending);
            }
            Rankings fresh = new Rankings(snapshot, new ConcurrentHashMap<>());
            rankings = latest.compareAndSet(rankings, fresh) ? fresh : latest.get();
            if (rankings == null || rankings.snapshot() != snapshot) {
                return compute(snapshot, ports, column, descending);
            }
        }
        Integer key = (column << 2) | (descending ? 0 : 1) | (ports == null ? 0 : 2);
        int[] rows = rankings.byColumnAndOrder().get(key);
        if (rows == null) {
            // no lock held while computing: two racing requests may both compute, and one result stays
            rows = compute(snapshot, ports, column, descending);
            int[] raced = rankings.byColumnAndOrder().putIfAbsent(key, rows);
            rows = raced == null ? rows : raced;
        }
        return rows;
    }

    private static int[] compute(Snapshot snapshot, @Nullable PortView ports, int column, boolean descending) {
        return ports == null ? top(snapshot, column, descending, TopSwitchesQuery.MAX_LIMIT)
                : topPorts(ports, column, descending, TopSwitchesQuery.MAX_LIMIT);
    }

    /** The best {@code k} switch rows by value, ties by row. */
    static int[] top(Snapshot snapshot, int column, boolean descending, int k) {
        return top(snapshot.switchCount(), row -> snapshot.numericValue(row, column), descending, k);
    }

    /** The best {@code k} port rows by value, ties by port row (the source's order). */
    static int[] topPorts(PortView ports, int column, boolean descending, int k) {
        return top(ports.portCount(), portRow -> ports.numericValue(portRow, column), descending, k);
    }

    /**
     * The best {@code k} rows by value, ties by row: a heap of the {@code k} best seen so far whose
     * root is the worst of them, so most rows cost one comparison. O(n log k) at worst.
     */
    private static int[] top(int count, IntToDoubleFunction values, boolean descending, int k) {
        int[] heapRows = new int[k];
        double[] heapValues = new double[k];
        int size = 0;
        for (int row = 0; row < count; row++) {
            double value = values.applyAsDouble(row);
            if (Double.isNaN(value)) {
                continue;
            }
            if (size < k) {
                heapRows[size] = row;
                heapValues[size] = value;
                siftUp(heapRows, heapValues, size++, descending);
            } else if (better(value, row, heapValues[0], heapRows[0], descending)) {
                heapRows[0] = row;
                heapValues[0] = value;
                siftDown(heapRows, heapValues, size, descending);
            }
        }
        int[] best = new int[size];
        for (int i = size - 1; i >= 0; i--) { // the root is the worst: fill from the end
            best[i] = heapRows[0];
            heapRows[0] = heapRows[i];
            heapValues[0] = heapValues[i];
            siftDown(heapRows, heapValues, i, descending);
        }
        return best;
    }

    private static boolean better(double value, int row, double otherValue, int otherRow, boolean descending) {
        if (value != otherValue) {
            return descending ? value > otherValue : value < otherValue;
        }
        return row < otherRow;
    }

    private static void siftUp(int[] rows, double[] values, int at, boolean descending) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!better(values[parent], rows[parent], values[at], rows[at], descending)) {
                return;
            }
            swap(rows, values, parent, at);
            at = parent;
        }
    }

    private static void siftDown(int[] rows, double[] values, int size, boolean descending) {
        int at = 0;
        while (true) {
            int worst = at;
            for (int child = 2 * at + 1; child <= 2 * at + 2 && child < size; child++) {
                if (better(values[worst], rows[worst], values[child], rows[child], descending)) {
                    worst = child;
                }
            }
            if (worst == at) {
                return;
            }
            swap(rows, values, at, worst);
            at = worst;
        }
    }

    private static void swap(int[] rows, double[] values, int a, int b) {
        int row = rows[a];
        rows[a] = rows[b];
        rows[b] = row;
        double value = values[a];
        values[a] = values[b];
        values[b] = value;
    }
}
