package io.fabrictelemetry.metrics.snapshot;

import org.jspecify.annotations.Nullable;

/**
 * The switch rows of port rows: per switch and metric, the sum of its ports' values for a counter,
 * the maximum for any other metric; ports without a value are skipped, and a switch none of whose
 * ports has one has no reading. A sum of integers stays an integer while it fits a {@code long}.
 * One pass over the ports' cells, into primitive arrays.
 */
final class Aggregates {

    private Aggregates() {
    }

    static Table of(PortRows ports, boolean[] sumColumns, @Nullable Table previous) {
        int width = ports.width;
        int switches = ports.switchCount();
        long[] cells = new long[switches * width];
        byte[] kinds = new byte[switches * width];
        long[] portCells = ports.cells;
        byte[] portKinds = ports.kinds;
        double[] decimal = new double[width]; // a column's running value once it is a decimal
        for (int s = 0; s < switches; s++) {
            int at = s * width;
            for (int p = ports.switchStart[s]; p < ports.switchStart[s + 1]; p++) {
                int from = p * width;
                for (int c = 0; c < width; c++) {
                    byte kind = portKinds[from + c];
                    if (kind == CellKind.NONE) {
                        continue;
                    }
                    long cell = portCells[from + c];
                    byte have = kinds[at + c];
                    if (have == CellKind.NONE) {
                        kinds[at + c] = kind;
                        cells[at + c] = cell;
                        if (kind == CellKind.DECIMAL) {
                            decimal[c] = Double.longBitsToDouble(cell);
                        }
                    } else if (sumColumns[c]) {
                        if (have == CellKind.INTEGER && kind == CellKind.INTEGER) {
                            long sum = cells[at + c] + cell;
                            // overflow iff both operands have the sign the sum lacks
                            if (((cells[at + c] ^ sum) & (cell ^ sum)) < 0) {
                                decimal[c] = (double) cells[at + c] + (double) cell;
                                kinds[at + c] = CellKind.DECIMAL;
                            } else {
                                cells[at + c] = sum;
                            }
                        } else {
                            double running = have == CellKind.INTEGER ? (double) cells[at + c] : decimal[c];
                            decimal[c] = running + (kind == CellKind.INTEGER ? (double) cell : Double.longBitsToDouble(cell));
                            kinds[at + c] = CellKind.DECIMAL;
                        }
                    } else {
                        double current = have == CellKind.INTEGER ? (double) cells[at + c] : decimal[c];
                        double value = kind == CellKind.INTEGER ? (double) cell : Double.longBitsToDouble(cell);
                        boolean larger = have == CellKind.INTEGER && kind == CellKind.INTEGER ? cell > cells[at + c]
                                : value > current;
                        if (larger) {
                            kinds[at + c] = kind;
                            cells[at + c] = cell;
                            if (kind == CellKind.DECIMAL) {
                                decimal[c] = value;
                            }
                        }
                    }
                }
            }
            for (int c = 0; c < width; c++) {
                if (kinds[at + c] == CellKind.DECIMAL) {
                    double value = decimal[c];
                    if (!Double.isFinite(value)) { // a sum beyond the double range: no reading, never a non-number
                        kinds[at + c] = CellKind.NONE;
                        cells[at + c] = 0;
                    } else {
                        cells[at + c] = Double.doubleToRawLongBits(value);
                    }
                }
            }
        }
        return Table.aggregates(ports, cells, kinds, previous);
    }
}
