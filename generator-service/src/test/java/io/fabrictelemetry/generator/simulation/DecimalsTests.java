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
}
