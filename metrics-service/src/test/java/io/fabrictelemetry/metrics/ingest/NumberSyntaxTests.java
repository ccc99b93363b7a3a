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

    @org.junit.jupiter.api.Test
    void decimalsWithAnExponentReadAsTheVeryDoubleParseDoubleGives() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(22);
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of("5.48295e-7", "1e5", "1E+22", "-2.5e-3",
                "123456789012345e-22", "9.99999999999999e22", "1.5e-23", "7e308", "1e-400", "0.000123e4", "12.0e0"));
        for (int i = 0; i < 100_000; i++) {
            String mantissa = Long.toString(random.nextLong(1, 1_000_000_000_000_000L));
            int point = random.nextInt(mantissa.length() + 1);
            String digits = point == mantissa.length() ? mantissa : mantissa.substring(0, point) + "." + mantissa.substring(point);
            texts.add((digits.startsWith(".") ? "0" + digits : digits) + (random.nextBoolean() ? "e" : "E")
                    + (random.nextBoolean() ? "-" : "") + random.nextInt(40));
        }
        for (String text : texts) {
            org.assertj.core.api.Assertions.assertThat(NumberSyntax.parseDecimal(text.toCharArray(), 0, text.length()))
                    .as(text).isEqualTo(Double.parseDouble(text));
        }
    }
}
