package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberSyntaxTests {

    @ParameterizedTest
    @ValueSource(strings = {"0", "42", "-7", "007"})
    void acceptsIntegerLiterals(String text) {
        assertThat(NumberSyntax.isIntegerLiteral(text)).isTrue();
        assertThat(NumberSyntax.isDecimalLiteral(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.25", "1e3", "1.5E-3", "2e+2"})
    void acceptsDecimalLiteralsThatAreNotIntegers(String text) {
        assertThat(NumberSyntax.isIntegerLiteral(text)).isFalse();
        assertThat(NumberSyntax.isDecimalLiteral(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", ".5", "1.", "1e", "1e+", "NaN", "Infinity", "0x1F", "1d", "1f",
            "1,5", "1 000", "abc", "--1"})
    void refusesEverythingElse(String text) {
        assertThat(NumberSyntax.isIntegerLiteral(text)).isFalse();
        assertThat(NumberSyntax.isDecimalLiteral(text)).isFalse();
    }
}
