package io.fabrictelemetry.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryAfterTests {

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(RetryAfter.seconds(Duration.ZERO)).isEqualTo("1");
        assertThat(RetryAfter.seconds(Duration.ofMillis(1))).isEqualTo("1");
        assertThat(RetryAfter.seconds(Duration.ofSeconds(2))).isEqualTo("2");
        assertThat(RetryAfter.seconds(Duration.ofMillis(2001))).isEqualTo("3");
        assertThat(RetryAfter.seconds(Duration.ofMinutes(1))).isEqualTo("60");
    }
}
