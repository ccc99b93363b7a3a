package io.fabrictelemetry.metrics.history;

import java.util.List;

/**
 * A snapshot of port rows for tests: switches' ports in consecutive rows, any cells, each port's
 * own sample time, and which columns are counters.
 */
record PortGrid(long sequence, long sampledAtMillis, List<String> metrics, boolean[] counters, String[] switchOfRow,
        int[] portOfRow, byte[] kinds, long[] cells, long[] nanos, boolean[] carried) implements Columns {

    static PortGrid of(long sequence, long sampledAtMillis, List<String> metrics, boolean[] counters,
            String[] switchOfRow, int[] portOfRow) {
        int n = switchOfRow.length * metrics.size();
        long[] nanos = new long[switchOfRow.length];
        java.util.Arrays.fill(nanos, sampledAtMillis * 1_000_000L);
        return new PortGrid(sequence, sampledAtMillis, metrics, counters, switchOfRow, portOfRow, new byte[n],
                new long[n], nanos, new boolean[switchOfRow.length]);
    }

    PortGrid set(int row, int column, byte kind, long bits) {
        kinds[row * metrics.size() + column] = kind;
        cells[row * metrics.size() + column] = bits;
        return this;
    }

    PortGrid integer(int row, int column, long value) {
        return set(row, column, INTEGER, value);
    }

    PortGrid decimal(int row, int column, double value) {
        return set(row, column, DECIMAL, Double.doubleToRawLongBits(value));
    }

    PortGrid none(int row, int column) {
        return set(row, column, NULL, 0);
    }

    PortGrid carry(int row, long sampledAtNanos) {
        carried[row] = true;
        nanos[row] = sampledAtNanos;
        return this;
    }

    PortGrid at(int row, long sampledAtNanos) {
        nanos[row] = sampledAtNanos;
        return this;
    }

    @Override
    public int rows() {
        return switchOfRow.length;
    }

    @Override
    public String switchId(int row) {
        return switchOfRow[row];
    }

    @Override
    public byte kind(int row, int column) {
        return kinds[row * metrics.size() + column];
    }

    @Override
    public long bits(int row, int column) {
        return kinds[row * metrics.size() + column] == NULL ? 0 : cells[row * metrics.size() + column];
    }

    @Override
    public boolean carriedOver(int row) {
        return carried[row];
    }

    @Override
    public boolean portRows() {
        return true;
    }

    @Override
    public int portNumber(int row) {
        return portOfRow[row];
    }

    @Override
    public long sampledAtNanos(int row) {
        return nanos[row];
    }

    @Override
    public boolean counter(int column) {
        return counters[column];
    }
}
