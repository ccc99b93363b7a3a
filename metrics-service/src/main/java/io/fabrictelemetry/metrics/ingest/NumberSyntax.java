package io.fabrictelemetry.metrics.ingest;

import io.fabrictelemetry.metrics.snapshot.CellKind;

/**
 * The strict number grammar of a CSV cell, JSON's own: {@code -?digits(.digits)?([eE][+-]?digits)?},
 * read straight from the parser's character buffer. {@link Double#parseDouble} alone would also
 * accept {@code NaN}, {@code Infinity}, hex floats and type suffixes such as {@code 1d}, none of which
 * is a reading.
 */
final class NumberSyntax {

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private NumberSyntax() {
    }

    static boolean isIntegerLiteral(String text) {
        return classify(text.toCharArray(), 0, text.length()) == CellKind.INTEGER;
    }

    static boolean isDecimalLiteral(String text) {
        return classify(text.toCharArray(), 0, text.length()) != CellKind.NONE;
    }

    /**
     * The {@link CellKind} a literal denotes: {@link CellKind#INTEGER} for {@code -?digits},
     * {@link CellKind#DECIMAL} for any other number, else {@link CellKind#NONE}.
     */
    static byte classify(char[] buf, int off, int len) {
        int end = off + len;
        int i = off < end && buf[off] == '-' ? off + 1 : off;
        int digitsEnd = digitsEnd(buf, i, end);
        if (digitsEnd == i) {
            return CellKind.NONE;
        }
        if (digitsEnd == end) {
            return CellKind.INTEGER;
        }
        i = digitsEnd;
        if (buf[i] == '.') {
            digitsEnd = digitsEnd(buf, i + 1, end);
            if (digitsEnd == i + 1) {
                return CellKind.NONE;
            }
            i = digitsEnd;
        }
        if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
            i++;
            if (i < end && (buf[i] == '+' || buf[i] == '-')) {
                i++;
            }
            digitsEnd = digitsEnd(buf, i, end);
            if (digitsEnd == i) {
                return CellKind.NONE;
            }
            i = digitsEnd;
        }
        return i == end ? CellKind.DECIMAL : CellKind.NONE;
    }

    /** An integer literal of at most 18 digits: always fits in a long. */
    static boolean fitsInLong(int len, boolean negative) {
        return len - (negative ? 1 : 0) <= 18;
    }

    static long parseLong(char[] buf, int off, int len) {
        boolean negative = buf[off] == '-';
        long value = 0;
        for (int i = negative ? off + 1 : off; i < off + len; i++) {
            value = value * 10 + (buf[i] - '0');
        }
        return negative ? -value : value;
    }

    /**
     * A decimal literal's value, correctly rounded. Plain decimals of up to 15 significant digits
     * take the exact fast path (an exact integer divided by an exact power of ten is one correctly
     * rounded operation); anything else goes through {@link Double#parseDouble}.
     */
    static double parseDecimal(char[] buf, int off, int len) {
        int end = off + len;
        boolean negative = buf[off] == '-';
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (int i = negative ? off + 1 : off; i < end; i++) {
            char c = buf[i];
            if (c == '.') {
                fraction = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits > 0 || c != '0') {
                    digits++;
                }
                mantissa = mantissa * 10 + (c - '0');
                if (fraction >= 0) {
                    fraction++;
                }
                if (digits > 15) {
                    return Double.parseDouble(new String(buf, off, len));
                }
            } else if (c == 'e' || c == 'E') {
                return withExponent(buf, off, len, i + 1, negative, mantissa, Math.max(0, fraction));
            } else {
                return Double.parseDouble(new String(buf, off, len));
            }
        }
        if (fraction >= POWERS_OF_TEN.length) {
            return Double.parseDouble(new String(buf, off, len));
        }
        double value = fraction <= 0 ? mantissa : mantissa / POWERS_OF_TEN[fraction];
        return negative ? -value : value;
    }

    /**
     * A decimal with an exponent, as UFM writes its small gauges ({@code 5.48295e-7}): the same exact
     * fast path when the mantissa (at most 15 significant digits) times or over a power of ten of at
     * most 22 is one correctly rounded operation; else {@link Double#parseDouble}.
     */
    private static double withExponent(char[] buf, int off, int len, int from, boolean negative, long mantissa,
            int fraction) {
        int end = off + len;
        int i = from;
        boolean negativeExponent = false;
        if (i < end && (buf[i] == '+' || buf[i] == '-')) {
            negativeExponent = buf[i] == '-';
            i++;
        }
        int exponent = 0;
        for (; i < end; i++) {
            exponent = exponent * 10 + (buf[i] - '0');
            if (exponent > 1000) {
                return Double.parseDouble(new String(buf, off, len));
            }
        }
        int scale = (negativeExponent ? -exponent : exponent) - fraction;
        if (scale < -22 || scale > 22) {
            return Double.parseDouble(new String(buf, off, len));
        }
        double value = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
        return negative ? -value : value;
    }

    private static int digitsEnd(char[] buf, int from, int end) {
        int i = from;
        while (i < end && buf[i] >= '0' && buf[i] <= '9') {
            i++;
        }
        return i;
    }
}
