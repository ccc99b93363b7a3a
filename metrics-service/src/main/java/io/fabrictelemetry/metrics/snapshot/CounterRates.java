package io.fabrictelemetry.metrics.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.NumberOutput;

/**
 * The derived metrics {@code <counter>_per_second} of a snapshot, computed once when it is built,
 * like Prometheus's {@code rate()} between two samples. For one switch and counter:
 * {@code (v_now - v_prev) / (t_now - t_prev)}, where {@code v_prev} is the switch's value in the
 * previous published snapshot and each {@code t} is the {@code sampledAt} of its value, in seconds;
 * a counter that went down was reset (the switch or the generator restarted), so the rate is
 * {@code v_now / (t_now - t_prev)}. No value ({@code NaN} here, {@code null} in JSON) when there is
 * no previous value (first snapshot, a new switch), either value is missing, {@code t_now <= t_prev},
 * the switch is carried over, or the rate is not a finite double. Rounded to 3 decimal places.
 */
final class CounterRates {

    static final String SUFFIX = "_per_second";
    static final CounterRates NONE = new CounterRates(List.of(), new double[0][]);

    private final List<String> names;
    private final double[][] values; // [rate][row], NaN for no value

    private CounterRates(List<String> names, double[][] values) {
        this.names = names;
        this.values = values;
    }

    /** Derived metric names, in the order of the counters. */
    List<String> names() {
        return names;
    }

    /** A rate, NaN for none. */
    double value(int rate, int row) {
        return values[rate][row];
    }

    /**
     * The rates of {@code now}'s counters against {@code previous}. {@code now} need only have its
     * generator values, switch index and times: it is called while {@code now} is being built.
     * A counter absent from the payload, or whose derived name is already a column of the
     * generator's, gets no rate.
     */
    static CounterRates compute(Snapshot now, @Nullable Snapshot previous, List<String> counters) {
        List<String> names = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (String counter : counters) {
            int column = now.generatorColumn(counter);
            if (column >= 0 && now.generatorColumn(counter + SUFFIX) < 0) {
                names.add(counter + SUFFIX);
                columns.add(column);
            }
        }
        if (names.isEmpty()) {
            return NONE;
        }
        int rows = now.switchCount();
        // one array per rate: a single one of rates x rows doubles would be a humongous object at 100k switches
        double[][] values = new double[names.size()][rows];
        int @Nullable [] previousRows = previous == null ? null : previousRows(now, previous);
        double @Nullable [] seconds = previous == null ? null : elapsedSeconds(now, previous, previousRows);
        for (int rate = 0; rate < names.size(); rate++) {
            int column = columns.get(rate);
            int previousColumn = previous == null ? -1 : previous.generatorColumn(now.generatorMetrics().get(column));
            double[] out = values[rate];
            for (int row = 0; row < rows; row++) {
                int from = previousColumn < 0 ? -1 : previousRows[row];
                out[row] = from >= 0 && seconds[row] > 0
                        ? rate(now.rawKind(row, column), now.rawCell(row, column),
                                previous.rawKind(from, previousColumn), previous.rawCell(from, previousColumn), seconds[row])
                        : Double.NaN;
            }
        }
        return new CounterRates(List.copyOf(names), values);
    }

    /** Each switch's row in the previous snapshot, or -1: new, or carried over now (its value is not new). */
    private static int[] previousRows(Snapshot now, Snapshot previous) {
        int[] rows = new int[now.switchCount()];
        boolean anyCarried = !now.carriedOver().isEmpty();
        for (int row = 0; row < rows.length; row++) {
            String id = now.switchId(row);
            if (anyCarried && now.carriedOver().containsKey(id)) {
                rows[row] = -1;
            } else if (row < previous.switchCount() && previous.switchId(row).equals(id)) {
                rows[row] = row; // the usual case: the same switches in the same order
            } else {
                rows[row] = previous.switchRow(id);
            }
        }
        return rows;
    }

    /** {@code t_now - t_prev} per switch, in seconds (a switch carried over before has an older t_prev). */
    private static double[] elapsedSeconds(Snapshot now, Snapshot previous, int[] previousRows) {
        double[] seconds = new double[previousRows.length];
        double common = seconds(previous.sampledAt(), now.sampledAt());
        java.util.Arrays.fill(seconds, common);
        if (!previous.carriedOver().isEmpty()) {
            for (int row = 0; row < seconds.length; row++) {
                if (previousRows[row] >= 0) {
                    seconds[row] = seconds(previous.sampledAt(now.switchId(row)), now.sampledAt());
                }
            }
        }
        return seconds;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    /** One rate, rounded to 3 decimals; NaN when either value is missing. */
    static double rate(byte kindNow, long cellNow, byte kindPrevious, long cellPrevious, double seconds) {
        if (kindNow == CellKind.NONE || kindPrevious == CellKind.NONE) {
            return Double.NaN;
        }
        if (cellNow == cellPrevious && kindNow == kindPrevious) {
            return 0.0; // the usual case for error and drop counters: nothing to divide or round
        }
        double increase;
        if (kindNow == CellKind.INTEGER && kindPrevious == CellKind.INTEGER) {
            // exact in long arithmetic; a counter that went down was reset and counts from zero
            increase = cellNow >= cellPrevious ? (double) (cellNow - cellPrevious) : (double) cellNow;
        } else {
            double now = number(kindNow, cellNow);
            double previous = number(kindPrevious, cellPrevious);
            increase = now >= previous ? now - previous : now;
        }
        double rate = round3(increase / seconds);
        // counters near the double range (the parser accepts up to ±1.7e308) can overflow: no rate,
        // rather than a non-number that JSON cannot carry
        return Double.isFinite(rate) ? rate : Double.NaN;
    }

    private static double number(byte kind, long cell) {
        return kind == CellKind.INTEGER ? cell : Double.longBitsToDouble(cell);
    }

    /**
     * Writes a rate as JSON: {@code null} for none, else its 3 decimals as digits ({@code 2.0},
     * {@code 0.333}, {@code 1250000.5}), which is several times cheaper than formatting a double,
     * and rates add hundreds of thousands of values to every ListMetrics body at 100,000 switches.
     */
    static void write(JsonGenerator json, double rate, char[] scratch) {
        if (Double.isNaN(rate)) {
            json.writeNull();
        } else if (Math.abs(rate) < 9.0e12) {
            json.writeNumber(scratch, 0, Decimals.thousandths(Math.round(rate * 1000), scratch));
        } else {
            json.writeNumber(rate);
        }
    }

    /** A rate as {@link #write(JsonGenerator, double, char[])} writes it, as bytes. */
    static void write(JsonOut out, double rate) {
        if (Double.isNaN(rate)) {
            out.ascii("null");
        } else if (rate == 0.0) {
            out.ascii("0.0"); // most counters did not move
        } else if (Math.abs(rate) < 9.0e12) {
            out.thousandths(Math.round(rate * 1000));
        } else {
            out.ascii(NumberOutput.toString(rate, true));
        }
    }

    /** Thousandths as a decimal: integer digits, a point, then one to three decimals without trailing zeros. */
    static String decimal3(long thousandths) {
        char[] digits = new char[Decimals.MAX_LENGTH];
        return new String(digits, 0, Decimals.thousandths(thousandths, digits));
    }

    /** Half up to 3 decimals; beyond 2^53 / 1000 a double has no third decimal to round. */
    static double round3(double value) {
        return Math.abs(value) < 9.0e12 ? Math.round(value * 1000) / 1000.0 : value;
    }
}
