package io.fabrictelemetry.metrics.snapshot;

import java.time.Instant;

import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.body.JsonOut;

/**
 * The ports of a snapshot of port rows (UFM Telemetry's layout). Port rows are grouped by switch,
 * switches in the snapshot's row order (their order of first appearance), ports in the source's
 * order within a switch: the ports of switch row {@code s} are {@code [firstPort(s), endPort(s))}.
 * Columns are {@link Snapshot#metricColumn}'s: the payload's metrics, then the counters' rates,
 * the same indexes as the switch aggregates'. Immutable, like its snapshot.
 */
public final class PortView {

    private final PortRows rows;
    private final CounterRates rates;
    private final int generatorCount;
    private final long defaultMicros; // the snapshot's sampledAt: the time of a row without its own
    private final Instant defaultInstant;
    private final String defaultText;
    // per switch: true when its port numbers ascend (a binary search finds a port); else byNumber
    // holds its rows sorted by port number
    private final int @org.jspecify.annotations.Nullable [] byNumber;

    PortView(PortRows rows, CounterRates rates, Instant sampledAt, String sampledAtText,
            @org.jspecify.annotations.Nullable PortView previous) {
        this.rows = rows;
        this.rates = rates;
        this.generatorCount = rows.width;
        this.defaultMicros = micros(sampledAt);
        this.defaultInstant = sampledAt;
        this.defaultText = sampledAtText;
        if (previous != null && previous.rows.sameIdentityAs(rows)) {
            this.byNumber = previous.byNumber;
        } else {
            this.byNumber = sortedWhereNeeded(rows);
        }
    }

    private static int @org.jspecify.annotations.Nullable [] sortedWhereNeeded(PortRows rows) {
        int[] numbers = rows.portNumbers;
        boolean ascending = true;
        for (int p = 1; p < rows.portCount && ascending; p++) {
            ascending = rows.switchOf[p] != rows.switchOf[p - 1] || numbers[p] > numbers[p - 1];
        }
        if (ascending) {
            return null;
        }
        Integer[] order = new Integer[rows.portCount]; // rare: a source that lists ports out of order
        for (int p = 0; p < order.length; p++) {
            order[p] = p;
        }
        java.util.Arrays.sort(order, (a, b) -> rows.switchOf[a] != rows.switchOf[b]
                ? Integer.compare(rows.switchOf[a], rows.switchOf[b])
                : Integer.compare(numbers[a], numbers[b]));
        int[] sorted = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            sorted[p] = order[p];
        }
        return sorted;
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    PortRows rows() {
        return rows;
    }

    CounterRates rates() {
        return rates;
    }

    public int portCount() {
        return rows.portCount;
    }

    public int firstPort(int switchRow) {
        return rows.switchStart[switchRow];
    }

    public int endPort(int switchRow) {
        return rows.switchStart[switchRow + 1];
    }

    public int switchRowOf(int portRow) {
        return rows.switchOf[java.util.Objects.checkIndex(portRow, rows.portCount)];
    }

    public int portNumber(int portRow) {
        return rows.portNumbers[java.util.Objects.checkIndex(portRow, rows.portCount)];
    }

    /** The row of a switch's port, or -1 when the switch has no such port. */
    public int portRow(int switchRow, int portNumber) {
        int first = rows.switchStart[switchRow];
        int end = rows.switchStart[switchRow + 1];
        if (first == end) {
            return -1;
        }
        int[] numbers = rows.portNumbers;
        // the usual fabric: ports 1..n in order
        long guess = first + (long) portNumber - numbers[first];
        if (guess >= first && guess < end && numbers[(int) guess] == portNumber) {
            return (int) guess;
        }
        int[] order = byNumber;
        int low = first;
        int high = end - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int row = order == null ? mid : order[mid];
            int number = numbers[row];
            if (number < portNumber) {
                low = mid + 1;
            } else if (number > portNumber) {
                high = mid - 1;
            } else {
                return row;
            }
        }
        return -1;
    }

    /** The port's sample time in µs since the epoch: its row's {@code timestamp}, else the snapshot's. */
    long micros(int portRow) {
        long micros = rows.micros[java.util.Objects.checkIndex(portRow, rows.portCount)];
        return micros == PortRows.NO_TIME ? defaultMicros : micros;
    }

    /** When the port's values were sampled: its row's {@code timestamp} (older when carried over). */
    public Instant sampledAt(int portRow) {
        long micros = micros(portRow);
        // the usual port was sampled when its payload was: the snapshot's own instant, no new one per request
        return micros == defaultMicros ? defaultInstant : instant(micros);
    }

    public String sampledAtText(int portRow) {
        long micros = rows.micros[java.util.Objects.checkIndex(portRow, rows.portCount)];
        // formatted once per snapshot for the usual port (sampled when its payload was), as
        // Snapshot.sampledAtText does for a switch: GetMetric of a port formats nothing then
        return micros == PortRows.NO_TIME || micros == defaultMicros ? defaultText : TimeFormat.iso(instant(micros));
    }

    /** True when the port's row was damaged and it shows its values of an earlier snapshot. */
    public boolean carriedOver(int portRow) {
        java.util.Objects.checkIndex(portRow, rows.portCount);
        return rows.carried != null && rows.carried[portRow];
    }

    /** The {@link CellKind} of a port's cell; a derived rate is a decimal, or no reading. */
    public byte cellKind(int portRow, int column) {
        if (column >= generatorCount) {
            return Double.isNaN(rates.value(column - generatorCount, checkPort(portRow))) ? CellKind.NONE : CellKind.DECIMAL;
        }
        return rows.kind(portRow, column);
    }

    public long cellBits(int portRow, int column) {
        if (column >= generatorCount) {
            double rate = rates.value(column - generatorCount, checkPort(portRow));
            return Double.isNaN(rate) ? 0 : Double.doubleToRawLongBits(rate);
        }
        return rows.cell(portRow, column);
    }

    /** A port's cell as a double: NaN for no reading. */
    public double numericValue(int portRow, int column) {
        if (column >= generatorCount) {
            return rates.value(column - generatorCount, checkPort(portRow));
        }
        return switch (rows.kind(portRow, column)) {
            case CellKind.INTEGER -> rows.cell(portRow, column);
            case CellKind.DECIMAL -> Double.longBitsToDouble(rows.cell(portRow, column));
            default -> Double.NaN;
        };
    }

    /** Writes a port's cell as {@link Snapshot#writeValue(JsonOut, int, int)} writes a switch's. */
    public void writeValue(JsonOut out, int portRow, int column) {
        if (column >= generatorCount) {
            rates.write(out, column - generatorCount, checkPort(portRow));
            return;
        }
        Snapshot.writeValue(out, rows.kind(portRow, column), rows.cell(portRow, column), false);
    }

    private int checkPort(int portRow) {
        return java.util.Objects.checkIndex(portRow, rows.portCount);
    }
}
