package io.fabrictelemetry.generator.simulation;

/**
 * Rendering of gauges: always {@code .} as the decimal separator, whatever the JVM's locale.
 * {@code String.format} would follow the locale and is an order of magnitude slower, which matters
 * at 100,000 switches (200,000 ports) per generation.
 *
 * <p>Two forms: fixed-point with a set number of decimals ({@code /counters}), and six significant
 * digits in the shortest of fixed or exponent notation, as UFM Telemetry writes its computed
 * {@code _f_} values ({@code 40.855}, {@code 0.0015}, {@code 5.48295e-7}).
 */
final class Decimals {

    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    /** 10^0 .. 10^22: every one exact as a double. */
    private static final double[] EXACT_POWERS = new double[23];
    private static final int SIGNIFICANT = 6;
    /** Below this a value is written 0 (6 digits of a smaller one would need powers over 10^22). */
    private static final double SMALLEST = 1e-16;
    private static final int ZERO = Integer.MIN_VALUE;

    static {
        double power = 1;
        for (int i = 0; i < EXACT_POWERS.length; i++) {
            EXACT_POWERS[i] = power;
            power *= 10;
        }
    }

    private Decimals() {
    }

    static void appendFixed(StringBuilder out, double value, int decimals) {
        if (!Double.isFinite(value) || Math.abs(value) >= 1e12) {
            throw new IllegalArgumentException("cannot render " + value + " as a fixed-point gauge");
        }
        long scale = POWERS[decimals];
        // round the magnitude, half away from zero, so that -1.25 and 1.25 mirror each other
        long scaled = Math.round(Math.abs(value) * scale);
        if (value < 0 && scaled != 0) {
            out.append('-');
        }
        out.append(scaled / scale);
        if (decimals > 0) {
            out.append('.');
            String fraction = Long.toString(scaled % scale);
            for (int i = fraction.length(); i < decimals; i++) {
                out.append('0');
            }
            out.append(fraction);
        }
    }

    /**
     * {@code value} rounded to six significant digits: exactly the double that
     * {@link Double#parseDouble} reads back from {@link #appendSignificant}'s text, so that what is
     * derived from a written gauge (a switch's maximum) is derived from what a reader sees.
     */
    static double significant(double value) {
        int exponent = exponent(value);
        if (exponent == ZERO) {
            return 0;
        }
        long digits = mantissa(value, exponent);
        if (digits == 1_000_000) {
            digits = 100_000;
            exponent++;
        }
        int shift = exponent - (SIGNIFICANT - 1);
        // an exact integer times or over an exact power of ten: one correctly rounded operation,
        // as parseDouble's result is the correctly rounded value of the same decimal
        return shift >= 0 ? digits * EXACT_POWERS[shift] : digits / EXACT_POWERS[-shift];
    }

    /**
     * A non-negative gauge in six significant digits, trailing zeros dropped: fixed notation from
     * 10^-4 up to 10^6 ({@code 0.00153523}, {@code 40.855}, {@code 0}), exponent notation outside
     * ({@code 5.48295e-7}), like C's {@code %g} without its exponent's sign and padding.
     */
    static void appendSignificant(AsciiBuffer out, double value) {
        int exponent = exponent(value);
        if (exponent == ZERO) {
            out.append((byte) '0');
            return;
        }
        long digits = mantissa(value, exponent);
        if (digits == 1_000_000) {
            digits = 100_000;
            exponent++;
        }
        byte[] d = new byte[SIGNIFICANT];
        for (int i = SIGNIFICANT - 1; i >= 0; i--) {
            d[i] = (byte) ('0' + digits % 10);
            digits /= 10;
        }
        int used = SIGNIFICANT;
        while (used > 1 && d[used - 1] == '0') {
            used--;
        }
        if (exponent >= -4 && exponent < SIGNIFICANT) {
            if (exponent < 0) {
                out.append((byte) '0').append((byte) '.');
                for (int i = -1; i > exponent; i--) {
                    out.append((byte) '0');
                }
                for (int i = 0; i < used; i++) {
                    out.append(d[i]);
                }
            } else {
                for (int i = 0; i <= exponent; i++) {
                    out.append(d[i]);
                }
                if (used > exponent + 1) {
                    out.append((byte) '.');
                    for (int i = exponent + 1; i < used; i++) {
                        out.append(d[i]);
                    }
                }
            }
        } else {
            out.append(d[0]);
            if (used > 1) {
                out.append((byte) '.');
                for (int i = 1; i < used; i++) {
                    out.append(d[i]);
                }
            }
            out.append((byte) 'e');
            if (exponent < 0) {
                out.append((byte) '-');
            }
            out.appendLong(Math.abs(exponent));
        }
    }

    /** The decimal exponent e of {@code value}, 10^e <= value < 10^(e+1), or {@link #ZERO} for a value written 0. */
    private static int exponent(double value) {
        if (!Double.isFinite(value) || value < 0 || value >= 1e15) {
            throw new IllegalArgumentException("cannot render " + value + " as a gauge");
        }
        if (value < SMALLEST) {
            return ZERO;
        }
        int exponent = (int) Math.floor(Math.log10(value));
        // log10 may land one off next to a power of ten
        double scaled = scaled(value, exponent);
        if (scaled < 100_000) {
            exponent--;
        } else if (scaled >= 1_000_000) {
            exponent++;
        }
        return exponent;
    }

    /** The six significant digits, rounded half up: 100000 to 1000000 (the caller carries the last). */
    private static long mantissa(double value, int exponent) {
        return Math.round(scaled(value, exponent));
    }

    private static double scaled(double value, int exponent) {
        int shift = SIGNIFICANT - 1 - exponent;
        return shift >= 0 ? value * EXACT_POWERS[shift] : value / EXACT_POWERS[-shift];
    }
}
