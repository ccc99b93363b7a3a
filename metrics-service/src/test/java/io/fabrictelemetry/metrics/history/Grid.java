package io.fabrictelemetry.metrics.history;

import java.util.List;

/** A snapshot's cells for tests: any switches, metrics and cells, without the rest of the service. */
record Grid(long sequence, long sampledAtMillis, List<String> metrics, String[] switchIds, byte[] kinds, long[] cells,
        boolean[] carried) implements Columns {

    static Grid of(long sequence, long sampledAtMillis, List<String> metrics, String[] switchIds) {
        int n = switchIds.length * metrics.size();
        return new Grid(sequence, sampledAtMillis, metrics, switchIds, new byte[n], new long[n],
                new boolean[switchIds.length]);
    }

    Grid set(int row, int column, byte kind, long bits) {
        kinds[row * metrics.size() + column] = kind;
        cells[row * metrics.size() + column] = bits;
        return this;
    }

    Grid integer(int row, int column, long value) {
        return set(row, column, INTEGER, value);
    }

    Grid decimal(int row, int column, double value) {
        return set(row, column, DECIMAL, Double.doubleToRawLongBits(value));
    }

    Grid carry(int row) {
        carried[row] = true;
        return this;
    }

    @Override
    public int rows() {
        return switchIds.length;
    }

    @Override
    public String switchId(int row) {
        return switchIds[row];
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
}
