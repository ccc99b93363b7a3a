package io.fabrictelemetry.metrics.history;

/**
 * The snapshot's rules for port rows, applied again to kept values: a counter's rate between two
 * samples of a port ({@code snapshot.CounterRates.rate}), a switch's aggregate of a column over its
 * ports ({@code snapshot.Aggregates}) and of a rate ({@code CounterRates.aggregate}: the exact sum of
 * the ports' thousandths). They must give the very doubles the snapshot gave:
 * {@code PortHistoryTests} compares every aggregate point with the published snapshot's switch row.
 */
final class Aggregation {

    private static final double WHOLE_THOUSANDTHS = 9.0e12;
    private static final long SUM_LIMIT = 9_000_000_000_000_000L;

    private Aggregation() {
    }

    /** A counter's rate, rounded to 3 decimals; NaN when either value is missing or the rate is no number. */
    static double counterRate(byte kindNow, long bitsNow, byte kindPrevious, long bitsPrevious, double seconds) {
        if (kindNow == Columns.NULL || kindPrevious == Columns.NULL) {
            return Double.NaN;
        }
        if (bitsNow == bitsPrevious && kindNow == kindPrevious) {
            return 0.0;
        }
        double increase;
        if (kindNow == Columns.INTEGER && kindPrevious == Columns.INTEGER) {
            // a counter that went down was reset and counts from zero
            increase = bitsNow >= bitsPrevious ? (double) (bitsNow - bitsPrevious) : (double) bitsNow;
        } else {
            double now = number(kindNow, bitsNow);
            double previous = number(kindPrevious, bitsPrevious);
            increase = now >= previous ? now - previous : now;
        }
        double value = increase / seconds;
        double rate = Math.abs(value) < WHOLE_THOUSANDTHS ? Math.round(value * 1000) / 1000.0 : value;
        return Double.isFinite(rate) ? rate : Double.NaN;
    }

    private static double number(byte kind, long bits) {
        return kind == Columns.INTEGER ? bits : Double.longBitsToDouble(bits);
    }

    /**
     * The aggregate of {@code n} ports' cells: the sum ({@code sum}) or the maximum of those with a
     * value, none → no reading. A sum of integers stays an integer while it fits a long. Returns
     * {kind, bits}.
     */
    static long[] of(byte[] kinds, long[] bits, int n, boolean sum) {
        byte have = Columns.NULL;
        long cell = 0;
        double decimal = 0;
        for (int k = 0; k < n; k++) {
            byte kind = kinds[k];
            if (kind == Columns.NULL) {
                continue;
            }
            long value = bits[k];
            if (have == Columns.NULL) {
                have = kind;
                cell = value;
                if (kind == Columns.DECIMAL) {
                    decimal = Double.longBitsToDouble(value);
                }
            } else if (sum) {
                if (have == Columns.INTEGER && kind == Columns.INTEGER) {
                    long total = cell + value;
                    if (((cell ^ total) & (value ^ total)) < 0) {
                        decimal = (double) cell + (double) value;
                        have = Columns.DECIMAL;
                    } else {
                        cell = total;
                    }
                } else {
                    double running = have == Columns.INTEGER ? (double) cell : decimal;
                    decimal = running + (kind == Columns.INTEGER ? (double) value : Double.longBitsToDouble(value));
                    have = Columns.DECIMAL;
                }
            } else {
                double current = have == Columns.INTEGER ? (double) cell : decimal;
                double candidate = kind == Columns.INTEGER ? (double) value : Double.longBitsToDouble(value);
                boolean larger = have == Columns.INTEGER && kind == Columns.INTEGER ? value > cell : candidate > current;
                if (larger) {
                    have = kind;
                    cell = value;
                    if (kind == Columns.DECIMAL) {
                        decimal = candidate;
                    }
                }
            }
        }
        if (have == Columns.DECIMAL) {
            if (!Double.isFinite(decimal)) {
                return new long[] {Columns.NULL, 0};
            }
            cell = Double.doubleToRawLongBits(decimal);
        }
        return new long[] {have, have == Columns.NULL ? 0 : cell};
    }

    /** The aggregate of {@code n} ports' rates: the exact sum of those with a value (NaN: none), NaN when none has one. */
    static double rate(double[] rates, int n) {
        boolean any = false;
        boolean exact = true;
        long thousandths = 0;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            double rate = rates[k];
            if (Double.isNaN(rate)) {
                continue;
            }
            any = true;
            long stored = thousandths(rate);
            if (!exact || stored == INEXACT) {
                if (exact) {
                    sum = thousandths / 1000.0;
                    exact = false;
                }
                sum += stored == INEXACT ? rate : stored / 1000.0;
            } else {
                long total = thousandths + stored;
                if (Math.abs(total) >= SUM_LIMIT) {
                    sum = thousandths / 1000.0 + stored / 1000.0;
                    exact = false;
                } else {
                    thousandths = total;
                }
            }
        }
        if (!any) {
            return Double.NaN;
        }
        return exact ? thousandths / 1000.0 : sum;
    }

    private static final long INEXACT = Long.MIN_VALUE + 1;

    /** A rate as whole thousandths when it is exactly one, else {@link #INEXACT}. */
    private static long thousandths(double rate) {
        if (rate == 0.0) {
            return 0;
        }
        if (Math.abs(rate) < WHOLE_THOUSANDTHS) {
            long thousandths = Math.round(rate * 1000);
            if (thousandths / 1000.0 == rate) {
                return thousandths;
            }
        }
        return INEXACT;
    }
}
