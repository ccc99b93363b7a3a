package io.fabrictelemetry.metrics.history;

import java.util.List;

import io.fabrictelemetry.metrics.snapshot.CellKind;

/**
 * What one frame of history is encoded from: the cells of one published snapshot, seen as a grid
 * of rows (switches, or ports) and columns (metrics). A cell has a kind ({@link #NULL},
 * {@link #INTEGER}, {@link #DECIMAL}) and 64 bits: the integer itself, or the raw bits of the
 * decimal's double.
 */
public interface Columns {

    byte NULL = CellKind.NONE;
    byte INTEGER = CellKind.INTEGER;
    byte DECIMAL = CellKind.DECIMAL;

    long sequence();

    /** The time the snapshot's values were sampled: the frame's one timestamp, shared by every cell. */
    long sampledAtMillis();

    /** {@link #sampledAtMillis()} to the nanosecond. */
    default long sampledAtNanos() {
        return Math.multiplyExact(sampledAtMillis(), 1_000_000L);
    }

    /** The columns history stores: for port rows the source's metrics alone (rates are derived when asked for). */
    List<String> metrics();

    int rows();

    /** The row's switch: the row itself for switch rows, the port's switch for port rows. */
    String switchId(int row);

    byte kind(int row, int column);

    long bits(int row, int column);

    /** True when the row repeats older values (carried over) instead of new readings: not a new point. */
    boolean carriedOver(int row);

    /** True when the rows are ports, grouped by switch (a switch's ports in consecutive rows). */
    default boolean portRows() {
        return false;
    }

    /** Port rows: the row's port number. */
    default int portNumber(int row) {
        throw new UnsupportedOperationException("switch rows have no port numbers");
    }

    /** Port rows: when the row's values were sampled (its own time), epoch nanoseconds. */
    default long sampledAtNanos(int row) {
        return sampledAtNanos();
    }

    /**
     * Port rows: the column is a counter, so that {@code <metric>_per_second} is derived from its
     * history when asked for (never stored) and a switch's aggregate of it is a sum, not a maximum.
     */
    default boolean counter(int column) {
        return false;
    }
}
