package io.fabrictelemetry.metrics.history;

import java.util.List;

import io.fabrictelemetry.metrics.snapshot.CellKind;

/**
 * What one frame of history is encoded from: the cells of one published snapshot, seen as a grid
 * of rows (switches) and columns (metrics). A cell has a kind ({@link #NULL}, {@link #INTEGER},
 * {@link #DECIMAL}) and 64 bits: the integer itself, or the raw bits of the decimal's double.
 */
public interface Columns {

    byte NULL = CellKind.NONE;
    byte INTEGER = CellKind.INTEGER;
    byte DECIMAL = CellKind.DECIMAL;

    long sequence();

    /** The time the snapshot's values were sampled: the frame's one timestamp, shared by every cell. */
    long sampledAtMillis();

    List<String> metrics();

    int rows();

    String switchId(int row);

    byte kind(int row, int column);

    long bits(int row, int column);

    /** True when the row repeats older values (carried over) instead of new readings: not a new point. */
    boolean carriedOver(int row);
}
