package io.fabrictelemetry.metrics.body;

import tools.jackson.core.io.NumberOutput;

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

    /**
     * Writes {@code v} (finite) as Jackson's fast double writer does ({@code NumberOutput.toString(v, true)}:
     * the shortest decimal that reads back as {@code v}, plain for {@code 1.0E-3 <= |v| < 1.0E7}, else
     * in computerized scientific notation {@code d.dddE-n}) into {@code buf} from {@code at}; returns
     * the end. {@code buf} needs {@link #MAX_LENGTH} bytes free. The values a fabric mostly holds take
     * one of two paths without the general formatter: a number of thousandths ({@link #shortThousandths}),
     * or a decimal of at most 15 significant digits between 1.0E-8 and 1.0E37 ({@link #shortDigits}),
     * which covers UFM's exponent gauges such as {@code 5.48295e-7}. {@code DecimalsTests} compares
     * the bytes with Jackson's on millions of values.
     */
    public static int put(double v, byte[] buf, int at) {
        long thousandths = shortThousandths(v);
        if (thousandths != NOT_SHORT) {
            return JsonOut.putThousandths(buf, at, thousandths);
        }
        int end = shortDigits(v, buf, at);
        if (end >= 0) {
            return end;
        }
        String text = NumberOutput.toString(v, true);
        for (int i = 0; i < text.length(); i++) {
            buf[at + i] = (byte) text.charAt(i);
        }
        return at + text.length();
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * {@code v} written as the shortest decimal that reads back as it, when that decimal has at most
     * 15 significant digits and {@code 1.0E-8 <= |v| < 1.0E37}; -1 (nothing written) otherwise. With
     * {@code e} the decimal exponent of {@code v}, {@code m = round(|v| * 10^(14 - e))} is exact
     * arithmetic on exact operands (powers of ten up to 10^22 are doubles), and when {@code m}
     * (15 digits) times {@code 10^(e - 14)}, one correctly rounded operation, is {@code v} again,
     * the decimal {@code m * 10^(e - 14)} reads back as {@code v}. Decimals of at most 15 significant
     * digits read back as distinct doubles, so no shorter decimal reads back as {@code v} but
     * {@code m} without its trailing zeros, and no other of that length: it is the one the writer
     * chooses (even where it would take two digits for one: the only two-digit decimal that reads
     * back as {@code v} is then the same number). Otherwise (16 or 17 digits) the caller formats.
     */
    static int shortDigits(double v, byte[] buf, int at) {
        double magnitude = Math.abs(v);
        if (!(magnitude >= 1.0e-8 && magnitude < 1.0e37)) {
            return -1;
        }
        int exponent = (int) Math.floor(Math.log10(magnitude));
        int scale = 14 - exponent;
        if (scale < -22 || scale > 22) {
            return -1;
        }
        double scaled = scale >= 0 ? magnitude * POWERS_OF_TEN[scale] : magnitude / POWERS_OF_TEN[-scale];
        long m = Math.round(scaled);
        if (m < 100_000_000_000_000L) { // log10 a little high: one more digit
            exponent--;
            scale++;
            if (scale > 22) {
                return -1;
            }
            scaled = scale >= 0 ? magnitude * POWERS_OF_TEN[scale] : magnitude / POWERS_OF_TEN[-scale];
            m = Math.round(scaled);
        } else if (m >= 1_000_000_000_000_000L) { // log10 a little low
            exponent++;
            scale--;
            if (scale < -22) {
                return -1;
            }
            scaled = scale >= 0 ? magnitude * POWERS_OF_TEN[scale] : magnitude / POWERS_OF_TEN[-scale];
            m = Math.round(scaled);
        }
        if (m < 100_000_000_000_000L || m >= 1_000_000_000_000_000L) {
            return -1;
        }
        double back = scale >= 0 ? m / POWERS_OF_TEN[scale] : m * POWERS_OF_TEN[-scale];
        if (back != magnitude) {
            return -1;
        }
        // the significant digits, trailing zeros dropped
        int length = 15;
        while (m % 10 == 0) {
            m /= 10;
            length--;
        }
        int pos = at;
        if (v < 0) {
            buf[pos++] = '-';
        }
        if (exponent >= -3 && exponent < 7) { // plain: 0.00123, 12.5, 1234567.0
            if (exponent < 0) {
                buf[pos++] = '0';
                buf[pos++] = '.';
                for (int i = -1; i > exponent; i--) {
                    buf[pos++] = '0';
                }
                return putDigits(buf, pos, m, length);
            }
            int whole = exponent + 1;
            if (length <= whole) {
                pos = putDigits(buf, pos, m, length);
                for (int i = length; i < whole; i++) {
                    buf[pos++] = '0';
                }
                buf[pos++] = '.';
                buf[pos++] = '0';
                return pos;
            }
            int end = putDigits(buf, pos + 1, m, length); // then the whole part moved one left, before the point
            System.arraycopy(buf, pos + 1, buf, pos, whole);
            buf[pos + whole] = '.';
            return end;
        }
        // scientific: 5.48295E-7, 1.0E7
        if (length == 1) {
            buf[pos++] = (byte) ('0' + m);
            buf[pos++] = '.';
            buf[pos++] = '0';
        } else {
            pos = putDigits(buf, pos + 1, m, length);
            buf[at + (v < 0 ? 1 : 0)] = buf[at + (v < 0 ? 2 : 1)];
            buf[at + (v < 0 ? 2 : 1)] = '.';
        }
        buf[pos++] = 'E';
        int e = exponent;
        if (e < 0) {
            buf[pos++] = '-';
            e = -e;
        }
        if (e >= 10) {
            buf[pos++] = (byte) ('0' + e / 10);
        }
        buf[pos++] = (byte) ('0' + e % 10);
        return pos;
    }

    /** The {@code length} decimal digits of {@code m} from {@code at}; returns the end. */
    private static int putDigits(byte[] buf, int at, long m, int length) {
        long rest = m;
        for (int i = at + length - 1; i >= at; i--) {
            buf[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return at + length;
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
