package io.fabrictelemetry.metrics.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.body.Decimals;
import io.fabrictelemetry.metrics.body.JsonOut;
import tools.jackson.core.io.NumberOutput;

/**
 * The derived metrics {@code <counter>_per_second} of a snapshot, computed once when it is built,
 * like Prometheus's {@code rate()} between two samples. For one switch and counter:
 * {@code (v_now - v_prev) / (t_now - t_prev)}, where {@code v_prev} is the switch's value in the
 * previous published snapshot and each {@code t} is the {@code sampledAt} of its value, in seconds;
 * a counter that went down was reset (the switch or the generator restarted), so the rate is
 * {@code v_now / (t_now - t_prev)}. No value ({@code NaN} here, {@code null} in JSON) when there is
 * no previous value (first snapshot, a new switch), either value is missing, {@code t_now < t_prev},
 * the switch is carried over, or the rate is not a finite double. Rounded to 3 decimal places.
 *
 * <p>{@code t_now == t_prev} is the same generation accepted again (the generator's corrupt fault
 * serves one generation under two ETags, so the intact body follows the damaged one as a new
 * payload): there is no new interval to divide by, and the switch's rates stay what the previous
 * snapshot had, rather than turning {@code null} for a whole period. History keeps the first
 * snapshot of a generation, so GetMetric and GetMetricHistory then show the same rate.
 */
final class CounterRates {

    static final String SUFFIX = "_per_second";
    static final CounterRates NONE = new CounterRates(List.of(), new int[0], new long[0], null, 0, 0);

    /** A stored rate that is no value. */
    private static final long ABSENT = Long.MIN_VALUE;
    /** A stored rate that is no whole number of thousandths (beyond 9.0e12): its double is in {@link #exact}. */
    private static final long INEXACT = Long.MIN_VALUE + 1;
    /** A row whose rates are all {@code 0.0}: the usual row, as error and drop counters seldom move. */
    private static final int ZERO_ROW = -1;
    /** A row whose rates are all no value: a switch that is new or carried over, or the first snapshot. */
    private static final int ABSENT_ROW = -2;

    private final List<String> names;
    private final int count;
    // per row, ZERO_ROW, ABSENT_ROW, or the slot of its rates in stored: only the rows with some
    // other rate take room there (about a quarter of them in a fabric whose counters grow by bursts)
    private final int[] rows;
    // [slot * count + rate]: each rate as the thousandths it is written with (rate == thousandths /
    // 1000.0 exactly), or ABSENT, or INEXACT
    private final long[] thousandths;
    private final double @Nullable [] exact; // same layout; only when some rate is INEXACT
    private final int slots;
    private final long valueBytes;

    private CounterRates(List<String> names, int[] rows, long[] thousandths, double @Nullable [] exact, int slots,
            long valueBytes) {
        this.names = names;
        this.count = names.size();
        this.rows = rows;
        this.thousandths = thousandths;
        this.exact = exact;
        this.slots = slots;
        this.valueBytes = valueBytes;
    }

    /**
     * How many bytes the rates' values take, written as {@link #write(JsonOut, int, int)} writes
     * them, over all rows: with the names, what the rates add to the ListMetrics body, known before
     * it is encoded (its size moves with the rates: all counters reset at once make it longer).
     */
    long valueBytes() {
        return valueBytes;
    }

    /** Derived metric names, in the order of the counters. */
    List<String> names() {
        return names;
    }

    /** A rate, NaN for none. */
    double value(int rate, int row) {
        int slot = rows[row];
        if (slot < 0) {
            return slot == ZERO_ROW ? 0.0 : Double.NaN;
        }
        int at = slot * count + rate;
        long stored = thousandths[at];
        if (stored == ABSENT) {
            return Double.NaN;
        }
        return stored == INEXACT ? exact[at] : stored / 1000.0;
    }

    /** True when the rate is {@code 0.0}: the usual value of error and drop counters. */
    boolean isZero(int rate, int row) {
        int slot = rows[row];
        return slot == ZERO_ROW || slot >= 0 && thousandths[slot * count + rate] == 0;
    }

    /** True when every rate of the row is {@code 0.0}. */
    boolean allZero(int row) {
        return rows[row] == ZERO_ROW;
    }

    /** Writes a rate as {@link #write(JsonOut, double)} writes its value. */
    void write(JsonOut out, int rate, int row) {
        int slot = rows[row];
        if (slot < 0) {
            out.ascii(slot == ZERO_ROW ? "0.0" : "null");
            return;
        }
        int at = slot * count + rate;
        long stored = thousandths[at];
        if (stored == ABSENT) {
            out.ascii("null");
        } else if (stored == 0) {
            out.ascii("0.0");
        } else if (stored == INEXACT) {
            write(out, exact[at]);
        } else {
            out.thousandths(stored);
        }
    }

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] ZERO = {'0', '.', '0'};

    /**
     * {@link #write(JsonOut, int, int)} into {@code buf} from {@code at} (room for
     * {@link io.fabrictelemetry.metrics.body.Decimals#MAX_LENGTH} bytes); returns the end.
     */
    int put(byte[] buf, int at, int rate, int row) {
        int slot = rows[row];
        if (slot < 0) {
            return copy(slot == ZERO_ROW ? ZERO : NULL, buf, at);
        }
        int cell = slot * count + rate;
        long stored = thousandths[cell];
        if (stored == ABSENT) {
            return copy(NULL, buf, at);
        }
        if (stored == 0) {
            return copy(ZERO, buf, at);
        }
        if (stored == INEXACT) {
            return put(buf, at, exact[cell]);
        }
        return JsonOut.putThousandths(buf, at, stored);
    }

    /** {@link #write(JsonOut, double)} into {@code buf} from {@code at}; returns the end. */
    static int put(byte[] buf, int at, double rate) {
        if (Double.isNaN(rate)) {
            return copy(NULL, buf, at);
        }
        if (rate == 0.0) {
            return copy(ZERO, buf, at);
        }
        if (Math.abs(rate) < 9.0e12) {
            return JsonOut.putThousandths(buf, at, Math.round(rate * 1000));
        }
        String text = NumberOutput.toString(rate, true);
        for (int i = 0; i < text.length(); i++) {
            buf[at + i] = (byte) text.charAt(i);
        }
        return at + text.length();
    }

    private static int copy(byte[] text, byte[] buf, int at) {
        System.arraycopy(text, 0, buf, at, text.length);
        return at + text.length;
    }

    /**
     * The rates of {@code now}'s counters against {@code previous}. {@code now} need only have its
     * generator values, switch index and times: it is called while {@code now} is being built.
     * A counter absent from the payload, or whose derived name is already a column of the
     * generator's, gets no rate. One pass over the rows, reading each row's counter cells in place.
     */
    static CounterRates compute(Snapshot now, @Nullable Snapshot previous, List<String> counters) {
        int[] columns = rateColumns(now.generatorMetrics(), counters);
        List<String> names = names(now.generatorMetrics(), columns);
        if (names.isEmpty()) {
            return NONE;
        }
        int count = names.size();
        int rowCount = now.switchCount();
        if (previous == null) {
            int[] rows = new int[rowCount];
            Arrays.fill(rows, ABSENT_ROW);
            return new CounterRates(names, rows, new long[0], null, 0, (long) rowCount * count * NULL_BYTES);
        }
        int[] column = columns;
        int[] previousColumn = new int[count];
        CounterRates before = previous.rates();
        int[] previousRate = new int[count]; // the same rate's index in the previous snapshot, or -1
        for (int rate = 0; rate < count; rate++) {
            previousColumn[rate] = previous.generatorColumn(now.generatorMetrics().get(column[rate]));
            previousRate[rate] = before.names().indexOf(names.get(rate));
        }
        Table table = now.table();
        Table previousTable = previous.table();
        double common = seconds(previous.sampledAt(), now.sampledAt());
        boolean carriedNow = !now.carriedOver().isEmpty();
        boolean carriedBefore = !previous.carriedOver().isEmpty();
        // about as many rows with a moving counter as last time
        int expected = previous.rates().count == count ? previous.rates().slots : 0;
        Collector collector = new Collector(count, rowCount, expected);
        long[] row = collector.row;
        double[] rowExact = collector.rowExact;
        // the usual case: the same switches in the same rows, all sampled at once
        boolean sameRows = !carriedNow && !carriedBefore && table.sameRowsAs(previousTable);
        for (int r = 0; r < rowCount; r++) {
            int from;
            double seconds;
            if (sameRows) {
                from = r;
                seconds = common;
            } else {
                from = previousRow(now, previous, r, carriedNow);
                // a switch carried over before has an older t_prev
                seconds = from < 0 ? 0 : carriedBefore ? seconds(previous.sampledAt(now.switchId(r)), now.sampledAt())
                        : common;
            }
            fillRow(collector, r, from, seconds, table.rowStart(r), table.cellArray(), table.kindArray(),
                    from < 0 ? 0 : previousTable.rowStart(from), previousTable.cellArray(), previousTable.kindArray(),
                    column, previousColumn, previousRate, before);
        }
        return collector.build(names);
    }

    /**
     * One row's rates into the collector: {@code from} the previous row (-1: none), {@code seconds}
     * between the two samples; the cells at {@code at + column} and {@code previousAt + previousColumn}.
     */
    private static void fillRow(Collector collector, int r, int from, double seconds, int at, long[] cells,
            byte[] kinds, int previousAt, long[] previousCells, byte[] previousKinds, int[] column, int[] previousColumn,
            int[] previousRate, CounterRates before) {
        // the same generation again (same sampledAt): no new interval, the previous rates stay
        boolean again = false;
        if (from < 0 || !(seconds > 0)) {
            if (from < 0 || seconds != 0) {
                collector.absent(r);
                return;
            }
            again = true;
        }
        long[] row = collector.row;
        double[] rowExact = collector.rowExact;
        boolean inexact = false;
        for (int rate = 0; rate < collector.count; rate++) {
            long value;
            if (previousColumn[rate] < 0) {
                value = ABSENT;
            } else if (again) {
                double rateValue = previousRate[rate] < 0 ? Double.NaN : before.value(previousRate[rate], from);
                value = thousandths(rateValue); // the stored value again: its thousandths, or INEXACT
                if (value == INEXACT) {
                    rowExact[rate] = rateValue;
                    inexact = true;
                }
            } else {
                int cell = at + column[rate];
                int previousCell = previousAt + previousColumn[rate];
                double rateValue = rate(kinds[cell], cells[cell], previousKinds[previousCell],
                        previousCells[previousCell], seconds);
                value = thousandths(rateValue);
                if (value == INEXACT) {
                    rowExact[rate] = rateValue;
                    inexact = true;
                }
            }
            row[rate] = value;
        }
        collector.add(r, inexact);
    }

    /**
     * The columns of {@code metrics} that get a rate: the counters ({@link CounterProperties#columns})
     * whose {@code <counter>_per_second} is not already a column of the payload's.
     */
    static int[] rateColumns(List<String> metrics, List<String> counters) {
        int[] columns = CounterProperties.columns(counters, metrics);
        int kept = 0;
        for (int column : columns) {
            if (!metrics.contains(metrics.get(column) + SUFFIX)) {
                columns[kept++] = column;
            }
        }
        return Arrays.copyOf(columns, kept);
    }

    private static List<String> names(List<String> metrics, int[] columns) {
        List<String> names = new ArrayList<>(columns.length);
        for (int column : columns) {
            names.add(metrics.get(column) + SUFFIX);
        }
        return List.copyOf(names);
    }

    /**
     * The rates of port rows against the previous snapshot's ports: per port, as {@link #compute}
     * per switch, each value's time its port's own. A carried-over port has none.
     */
    static CounterRates computePorts(PortRows now, long nowDefaultMicros, @Nullable Snapshot previousSnapshot,
            int[] columns) {
        PortView previous = previousSnapshot == null ? null : previousSnapshot.ports();
        List<String> names = names(now.metrics, columns);
        if (names.isEmpty()) {
            return NONE;
        }
        int count = names.size();
        int rowCount = now.portCount;
        if (previous == null) {
            int[] rows = new int[rowCount];
            Arrays.fill(rows, ABSENT_ROW);
            return new CounterRates(names, rows, new long[0], null, 0, (long) rowCount * count * NULL_BYTES);
        }
        PortRows before = previous.rows();
        CounterRates beforeRates = previous.rates();
        int[] previousColumn = new int[count];
        int[] previousRate = new int[count];
        for (int rate = 0; rate < count; rate++) {
            previousColumn[rate] = before.metrics.indexOf(now.metrics.get(columns[rate]));
            previousRate[rate] = beforeRates.names().indexOf(names.get(rate));
        }
        // about as many ports with a moving counter as last time; when last time had no rate at all
        // to go by (the first snapshot after a start), room for every port, trimmed once built
        boolean allAbsentBefore = beforeRates.slots == 0
                && beforeRates.valueBytes == (long) beforeRates.rows.length * beforeRates.count * NULL_BYTES;
        int expected = beforeRates.count != count ? 0 : allAbsentBefore ? rowCount : beforeRates.slots;
        Collector collector = new Collector(count, rowCount, expected);
        boolean same = now.sameIdentityAs(before);
        int width = now.width;
        int previousWidth = before.width;
        int previousSwitch = -1;
        int forSwitch = -1;
        for (int p = 0; p < rowCount; p++) {
            int from;
            if (now.carried != null && now.carried[p]) {
                from = -1;
            } else if (same) {
                from = p;
            } else {
                int s = now.switchOf[p];
                if (s != forSwitch) {
                    forSwitch = s;
                    previousSwitch = s < before.guids.length && before.guids[s].equals(now.guids[s]) ? s
                            : previousSnapshot.table().row(now.guids[s]);
                }
                from = previousSwitch < 0 ? -1 : previous.portRow(previousSwitch, now.portNumbers[p]);
            }
            double seconds = 0;
            if (from >= 0) {
                long t = now.micros[p] == PortRows.NO_TIME ? nowDefaultMicros : now.micros[p];
                seconds = (t - previous.micros(from)) / 1e6;
            }
            fillRow(collector, p, from, seconds, p * width, now.cells, now.kinds, from < 0 ? 0 : from * previousWidth,
                    before.cells, before.kinds, columns, previousColumn, previousRate, beforeRates);
        }
        return collector.build(names);
    }

    /**
     * The switches' rates from their ports': the sum of the ports' rates that have a value, no
     * value when none has. Sums of thousandths are exact.
     */
    static CounterRates aggregate(PortRows ports, CounterRates portRates) {
        if (portRates.names.isEmpty()) {
            return NONE;
        }
        int count = portRates.count;
        int switches = ports.switchCount();
        Collector collector = new Collector(count, switches, switches);
        long[] row = collector.row;
        double[] rowExact = collector.rowExact;
        double[] sums = new double[count];
        boolean[] any = new boolean[count];
        for (int s = 0; s < switches; s++) {
            int first = ports.switchStart[s];
            int end = ports.switchStart[s + 1];
            boolean allZero = true;
            boolean allAbsent = true;
            for (int p = first; p < end; p++) {
                int slot = portRates.rows[p];
                allZero &= slot == ZERO_ROW;
                allAbsent &= slot == ABSENT_ROW;
            }
            if (allAbsent) {
                collector.absent(s);
                continue;
            }
            if (allZero) {
                collector.zero(s);
                continue;
            }
            Arrays.fill(row, 0);
            Arrays.fill(any, false);
            boolean inexact = false;
            for (int p = first; p < end; p++) {
                int slot = portRates.rows[p];
                if (slot == ABSENT_ROW) {
                    continue;
                }
                for (int rate = 0; rate < count; rate++) {
                    long stored = slot == ZERO_ROW ? 0 : portRates.thousandths[slot * count + rate];
                    if (stored == ABSENT) {
                        continue;
                    }
                    if (!any[rate]) {
                        any[rate] = true;
                        sums[rate] = 0;
                    }
                    if (stored == INEXACT || row[rate] == INEXACT) {
                        if (row[rate] != INEXACT) {
                            sums[rate] = row[rate] / 1000.0;
                            row[rate] = INEXACT;
                        }
                        sums[rate] += stored == INEXACT ? portRates.exact[slot * count + rate] : stored / 1000.0;
                        inexact = true;
                    } else {
                        long sum = row[rate] + stored;
                        if (Math.abs(sum) >= 9_000_000_000_000_000L) {
                            sums[rate] = row[rate] / 1000.0 + stored / 1000.0;
                            row[rate] = INEXACT;
                            inexact = true;
                        } else {
                            row[rate] = sum;
                        }
                    }
                }
            }
            for (int rate = 0; rate < count; rate++) {
                if (!any[rate]) {
                    row[rate] = ABSENT;
                } else if (row[rate] == INEXACT) {
                    long exactThousandths = thousandths(sums[rate]);
                    row[rate] = exactThousandths;
                    rowExact[rate] = sums[rate];
                }
            }
            collector.add(s, inexact);
        }
        return collector.build(portRates.names);
    }

    /** Gathers rates row by row, keeping apart only the rows with some rate other than 0.0. */
    private static final class Collector {

        final int count;
        final long[] row;
        final double[] rowExact;
        private final int[] rows;
        private long[] stored;
        private double @Nullable [] exact;
        private int slots;
        private int zeroRows;
        private int absentRows;
        private long slotBytes;

        Collector(int count, int rowCount, int expectedSlots) {
            this.count = count;
            this.row = new long[count];
            this.rowExact = new double[count];
            this.rows = new int[rowCount];
            this.stored = new long[Math.max(16, expectedSlots + expectedSlots / 8) * count];
        }

        void absent(int r) {
            rows[r] = ABSENT_ROW;
            absentRows++;
        }

        void zero(int r) {
            rows[r] = ZERO_ROW;
            zeroRows++;
        }

        /** The row's values in {@link #row} ({@link #rowExact} where INEXACT). */
        void add(int r, boolean inexact) {
            boolean zero = true;
            boolean absent = true;
            for (int rate = 0; rate < count; rate++) {
                zero &= row[rate] == 0;
                absent &= row[rate] == ABSENT;
            }
            if (zero) {
                zero(r);
                return;
            }
            if (absent) {
                absent(r);
                return;
            }
            for (int rate = 0; rate < count; rate++) {
                slotBytes += textLength(row[rate], rowExact[rate]);
            }
            if ((slots + 1) * count > stored.length) {
                stored = Arrays.copyOf(stored, stored.length * 2);
                if (exact != null) {
                    exact = Arrays.copyOf(exact, stored.length);
                }
            }
            System.arraycopy(row, 0, stored, slots * count, count);
            if (inexact) {
                if (exact == null) {
                    exact = new double[stored.length];
                }
                System.arraycopy(rowExact, 0, exact, slots * count, count);
            }
            rows[r] = slots++;
        }

        CounterRates build(List<String> names) {
            long valueBytes = ((long) zeroRows * ZERO_BYTES + (long) absentRows * NULL_BYTES) * count + slotBytes;
            int needed = Math.max(16, slots) * count;
            if (stored.length > 2L * needed) { // room reserved for far more rows than moved: not kept
                stored = Arrays.copyOf(stored, needed);
                if (exact != null) {
                    exact = Arrays.copyOf(exact, needed);
                }
            }
            return new CounterRates(names, rows, stored, exact, slots, valueBytes);
        }
    }

    private static final int ZERO_BYTES = "0.0".length();
    private static final int NULL_BYTES = "null".length();

    /** The length of a stored rate as {@link #write(JsonOut, int, int)} writes it. */
    private static int textLength(long stored, double exact) {
        if (stored == ABSENT) {
            return NULL_BYTES;
        }
        if (stored == 0) {
            return ZERO_BYTES;
        }
        if (stored == INEXACT) {
            return NumberOutput.toString(exact, true).length(); // beyond 9.0e12: rare
        }
        long magnitude = Math.abs(stored); // never Long.MIN_VALUE: that is ABSENT
        int digits = 1; // of the whole part: comparisons, not a division per digit
        while (digits < WHOLE_DIGITS.length && magnitude >= WHOLE_DIGITS[digits]) {
            digits++;
        }
        int fraction = (int) (magnitude % 1000);
        int decimals = fraction % 100 == 0 ? 1 : fraction % 10 == 0 ? 2 : 3;
        return (stored < 0 ? 1 : 0) + digits + 1 + decimals;
    }

    /** {@code WHOLE_DIGITS[d]}: the fewest thousandths whose whole part has {@code d + 1} digits. */
    private static final long[] WHOLE_DIGITS = new long[16]; // to 10^18: rates stay below 9.0e12

    static {
        WHOLE_DIGITS[0] = 0;
        long bound = 10_000;
        for (int d = 1; d < WHOLE_DIGITS.length; d++) {
            WHOLE_DIGITS[d] = bound;
            bound *= 10;
        }
    }

    /**
     * A rate as {@link #rate} gives it, stored: {@link #ABSENT} for NaN, else the thousandths that
     * {@link #write(JsonOut, double)} writes, when they read back as the very same double; else {@link #INEXACT}.
     */
    private static long thousandths(double rate) {
        if (Double.isNaN(rate)) {
            return ABSENT;
        }
        if (rate == 0.0) {
            return 0;
        }
        if (Math.abs(rate) < 9.0e12) {
            long thousandths = Math.round(rate * 1000);
            if (thousandths / 1000.0 == rate) {
                return thousandths;
            }
        }
        return INEXACT;
    }

    /** The switch's row in the previous snapshot, or -1: new, or carried over now (its value is not new). */
    private static int previousRow(Snapshot now, Snapshot previous, int row, boolean carriedNow) {
        String id = now.switchId(row);
        if (carriedNow && now.carriedOver().containsKey(id)) {
            return -1;
        }
        if (row < previous.switchCount() && previous.switchId(row).equals(id)) {
            return row; // the usual case: the same switches in the same order
        }
        return previous.switchRow(id);
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
     * Writes a rate as JSON bytes: {@code null} for none, else its 3 decimals as digits ({@code 2.0},
     * {@code 0.333}, {@code 1250000.5}), which is several times cheaper than formatting a double,
     * and rates add hundreds of thousands of values to every ListMetrics body at 100,000 switches.
     */
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
