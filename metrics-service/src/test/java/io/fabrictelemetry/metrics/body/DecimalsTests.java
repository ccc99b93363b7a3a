package io.fabrictelemetry.metrics.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import tools.jackson.core.io.NumberOutput;

/**
 * The short-decimal path writes exactly what Jackson's fast double writer writes, whenever it
 * writes anything, and it does write the values a fabric's CSV holds.
 */
class DecimalsTests {

    private static final char[] OUT = new char[Decimals.MAX_LENGTH];

    /** The fast path's text, or null when it declines. */
    private static String fast(double value) {
        long thousandths = Decimals.shortThousandths(value);
        return thousandths == Decimals.NOT_SHORT ? null : new String(OUT, 0, Decimals.thousandths(thousandths, OUT));
    }

    private static void agrees(double value) {
        String fast = fast(value);
        if (fast != null) {
            assertThat(fast).as("%s (bits %x)", value, Double.doubleToRawLongBits(value))
                    .isEqualTo(NumberOutput.toString(value, true));
        }
    }

    @Test
    void csvLiteralsWithUpToThreeDecimalsTakeTheFastPathAndMatchJackson() {
        SplittableRandom random = new SplittableRandom(1);
        int fast = 0;
        int total = 0;
        for (int i = 0; i < 2_000_000; i++) {
            int decimals = random.nextInt(4);
            long unscaled = random.nextLong(10_000_000_000L) - 5_000_000_000L;
            double value = new BigDecimal(unscaled).movePointLeft(decimals).doubleValue(); // as the CSV parser reads it
            agrees(value);
            if (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e7) {
                total++;
                fast += fast(value) != null ? 1 : 0;
            }
        }
        assertThat(fast).as("values in the plain range that took the fast path").isEqualTo(total);
    }

    @Test
    void anyOtherDoubleEitherMatchesJacksonOrIsLeftToIt() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 2_000_000; i++) {
            agrees(Double.longBitsToDouble(random.nextLong()));
            agrees(random.nextDouble() * Math.pow(10, random.nextInt(-5, 9)) * (random.nextBoolean() ? 1 : -1));
        }
    }

    @Test
    void boundariesOfThePlainNotation() {
        double[] edges = {0.0, -0.0, 1e-3, Math.nextDown(1e-3), Math.nextUp(1e-3), 0.0005, 0.001, 0.002, 9_999_999.999,
            1e7, Math.nextDown(1e7), -1e7, 1.0, -1.0, 0.1, 0.2, 0.3, 123.0, 100.5, 9_007_199.254, Double.MIN_VALUE,
            Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double edge : edges) {
            agrees(edge);
        }
        assertThat(fast(0.0)).isNull();
        assertThat(fast(-0.0)).isNull();
        assertThat(fast(1e7)).isNull();
        assertThat(fast(0.0005)).isNull();
        assertThat(fast(0.001)).isEqualTo("0.001");
        assertThat(fast(123.0)).isEqualTo("123.0");
        assertThat(fast(-12.34)).isEqualTo("-12.34");
        assertThat(fast(0.1 + 0.2)).as("not a number of thousandths").isNull();
    }

    private static final byte[] BUF = new byte[Decimals.MAX_LENGTH + 8];

    private static void putAgrees(double value) {
        int end = Decimals.put(value, BUF, 3);
        assertThat(new String(BUF, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII))
                .as("%s (bits %x)", value, Double.doubleToRawLongBits(value))
                .isEqualTo(NumberOutput.toString(value, true));
    }

    @Test
    void putWritesJacksonsTextForUfmStyleExponentDecimals() {
        // as UFM writes its small gauges (5.48295e-7) and as the CSV parser reads them
        SplittableRandom random = new SplittableRandom(3);
        int shortDigits = 0;
        for (int i = 0; i < 2_000_000; i++) {
            int digits = 1 + random.nextInt(17);
            long unscaled = random.nextLong((long) Math.pow(10, Math.min(digits, 18) - 1), (long) Math.pow(10, Math.min(digits, 18)));
            String literal = (random.nextInt(5) == 0 ? "-" : "") + unscaled + "e" + random.nextInt(-40, 45);
            double value = Double.parseDouble(literal);
            putAgrees(value);
            shortDigits += Decimals.shortDigits(value, BUF, 0) >= 0 ? 1 : 0;
        }
        assertThat(shortDigits).as("values written without the general formatter").isGreaterThan(800_000);
    }

    @Test
    void putWritesJacksonsTextForAnyDouble() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 2_000_000; i++) {
            putAgrees(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL | (random.nextBoolean() ? Long.MIN_VALUE : 0)));
            putAgrees(random.nextDouble() * Math.pow(10, random.nextInt(-12, 40)) * (random.nextBoolean() ? 1 : -1));
        }
        double[] edges = {0.0, -0.0, 1e-3, Math.nextDown(1e-3), 1e-8, Math.nextDown(1e-8), 1e7, Math.nextDown(1e7),
            Math.nextUp(1e7), 1e36, Math.nextDown(1e37), 1e37, 9.99999999999999e36, 1.0, -1.0, 0.1, 123456.7, 1234567.0,
            12345678.0, 5.48295e-7, 5e-7, -5e-7, 1.5e-5, 100.0, 1e15, 1e16, 123456789012345.0, 0.000999, 0.00123,
            Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, 4.35, 2.675, 1e22, 1e23};
        for (double edge : edges) {
            putAgrees(edge);
            putAgrees(-edge);
        }
    }
}
