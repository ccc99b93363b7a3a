package io.fabrictelemetry.metrics.body;

/**
 * Decimal text without a general double formatter, for the values a fabric mostly holds: gauges
 * and rates with at most three decimals. Formatting a double in full (Jackson's Schubfach writer)
 * was the largest single cost of building a snapshot — two fifths of encoding ListMetrics at
 * 100,000 switches — though nearly every value came from a CSV literal like {@code 12.34}.
 */
public final class Decimals {

    /** Characters enough for any output of this class. */
    public static final int MAX_LENGTH = 24;

    private Decimals() {
    }

    /** What {@link #shortThousandths} returns for a value it does not write. */
    public static final long NOT_SHORT = Long.MIN_VALUE;

    /**
     * The number of thousandths whose text ({@link #thousandths}, {@link JsonOut#thousandths}) is the
     * text Jackson writes for {@code v} ({@code JsonGenerator.writeNumber(double)} with the fast
     * writer, which formats as {@code Double.toString} does from Java 19: the shortest decimal that
     * reads back as the same double), when that text is plain and has at most three decimals:
     * {@code 1.0E-3 <= |v| < 1.0E7} and {@code v} is the double nearest to some number of thousandths.
     * Then the shortest decimal is that number of thousandths: any other decimal of as few digits lies
     * at least 0.001 away, far outside the 2 ulp (under 4.0E-9 here) in which decimals read back as
     * {@code v}. {@link #NOT_SHORT} for any other value (the caller formats it in full).
     * {@code DecimalsTests} compares the text with Jackson's output on millions of values.
     */
    public static long shortThousandths(double v) {
        double magnitude = Math.abs(v);
        if (!(magnitude >= 1.0e-3 && magnitude < 1.0e7)) {
            return NOT_SHORT; // zero, scientific notation, NaN and infinities: not here
        }
        long thousandths = Math.round(v * 1000);
        return thousandths / 1000.0 == v ? thousandths : NOT_SHORT;
    }

    /** Thousandths as a decimal: integer digits, a point, then one to three decimals without trailing zeros. */
    public static int thousandths(long thousandths, char[] out) {
        int length = 0;
        long magnitude = thousandths;
        if (thousandths < 0) {
            out[length++] = '-';
            magnitude = -thousandths;
        }
        long whole = magnitude / 1000;
        int fraction = (int) (magnitude - whole * 1000);
        if (whole == 0) {
            out[length++] = '0';
        } else {
            int start = length;
            for (long rest = whole; rest > 0; rest /= 10) {
                out[length++] = (char) ('0' + rest % 10);
            }
            for (int i = start, j = length - 1; i < j; i++, j--) {
                char swap = out[i];
                out[i] = out[j];
                out[j] = swap;
            }
        }
        out[length++] = '.';
        out[length++] = (char) ('0' + fraction / 100);
        if (fraction % 100 != 0) {
            out[length++] = (char) ('0' + fraction / 10 % 10);
            if (fraction % 10 != 0) {
                out[length++] = (char) ('0' + fraction % 10);
            }
        }
        return length;
    }
}
