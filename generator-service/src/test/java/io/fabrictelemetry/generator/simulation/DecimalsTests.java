package io.fabrictelemetry.generator.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class DecimalsTests {

    private static String fixed(double value, int decimals) {
        StringBuilder out = new StringBuilder();
        Decimals.appendFixed(out, value, decimals);
        return out.toString();
    }

    @Test
    void padsAndRoundsToTheRequestedDecimals() {
        assertThat(fixed(0, 2)).isEqualTo("0.00");
        assertThat(fixed(1.005, 1)).isEqualTo("1.0");
        assertThat(fixed(312.456, 2)).isEqualTo("312.46");
        assertThat(fixed(0.0456, 3)).isEqualTo("0.046");
        assertThat(fixed(42.0, 0)).isEqualTo("42");
        assertThat(fixed(-1.25, 1)).isEqualTo("-1.3");
    }

    @Test
    void refusesValuesThatAreNotFiniteNumbers() {
        assertThatIllegalArgumentException().isThrownBy(() -> fixed(Double.NaN, 2));
        assertThatIllegalArgumentException().isThrownBy(() -> fixed(Double.POSITIVE_INFINITY, 2));
    }

    private static String significant(double value) {
        AsciiBuffer out = new AsciiBuffer(16);
        Decimals.appendSignificant(out, value);
        return new String(out.toByteArray(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Test
    void writesSixSignificantDigitsTheWayUfmTelemetryWritesItsComputedValues() {
        assertThat(significant(5.48295e-7)).isEqualTo("5.48295e-7");
        assertThat(significant(5.482954e-7)).isEqualTo("5.48295e-7");
        assertThat(significant(1.0e-5)).isEqualTo("1e-5");
        assertThat(significant(0.00153523)).isEqualTo("0.00153523");
        assertThat(significant(0.0001)).isEqualTo("0.0001");
        assertThat(significant(40.855)).isEqualTo("40.855");
        assertThat(significant(99.99996)).isEqualTo("100");
        assertThat(significant(100)).isEqualTo("100");
        assertThat(significant(123456.7)).isEqualTo("123457");
        assertThat(significant(1234567)).isEqualTo("1.23457e6");
        assertThat(significant(0)).isEqualTo("0");
        assertThat(significant(1e-17)).as("too small to tell from 0").isEqualTo("0");
        assertThatIllegalArgumentException().isThrownBy(() -> significant(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> significant(Double.NaN));
    }

    /** What /counters derives from a port's gauge is what a reader of /csv/metrics parses back. */
    @Test
    void theValueOfSixSignificantDigitsIsExactlyWhatItsTextParsesTo() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            double value = Math.pow(10, -15 + 22 * random.nextDouble());
            double rounded = Decimals.significant(value);
            String text = significant(value);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(rounded);
            assertThat(significant(rounded)).isEqualTo(text);
            assertThat(Math.abs(rounded - value)).isLessThanOrEqualTo(value * 5.0001e-6);
        }
        for (double power = 1e-15; power < 1e6; power *= 10) {
            for (double value : new double[] {power, Math.nextDown(power), Math.nextUp(power), power * 9.999995}) {
                assertThat(Double.parseDouble(significant(value))).isEqualTo(Decimals.significant(value));
            }
        }
    }

    @Test
    void writesIntegersWithoutAStringPerValue() {
        AsciiBuffer out = new AsciiBuffer(1);
        out.appendLong(0).append((byte) ',').appendLong(9).append((byte) ',').appendLong(10)
                .append((byte) ',').appendLong(Long.MAX_VALUE).append((byte) ',').appendLong(1_000_000_000_000L);
        assertThat(new String(out.toByteArray(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("0,9,10,9223372036854775807,1000000000000");
        assertThatIllegalArgumentException().isThrownBy(() -> out.appendLong(-1));
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong(Long.MAX_VALUE) >>> random.nextInt(63);
            AsciiBuffer one = new AsciiBuffer(1);
            one.appendLong(value);
            assertThat(new String(one.toByteArray(), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(Long.toString(value));
        }
    }
}
