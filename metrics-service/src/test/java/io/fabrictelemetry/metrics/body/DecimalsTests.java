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
}
