package io.fabrictelemetry.metrics.snapshot;

/**
 * What a cell of a {@link Table} holds, one byte per cell: the one set of kinds shared by the
 * parser that classifies CSV literals and the snapshot that serves them.
 */
public final class CellKind {

    /** No reading: an empty cell, or one that was not a finite number. */
    public static final byte NONE = 0;
    /** An integer literal, held as a {@code long}. */
    public static final byte INTEGER = 1;
    /** Any other finite number, held as the raw bits of a {@code double}. */
    public static final byte DECIMAL = 2;

    private CellKind() {
    }
}
