package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimeFormatTests {

    @Test
    void instantsAreWrittenInUtcWithExactlyThreeFractionalDigits() {
        assertThat(TimeFormat.iso(Instant.parse("2026-11-28T10:00:00Z"))).isEqualTo("2026-11-28T10:00:00.000Z");
        assertThat(TimeFormat.iso(Instant.parse("2026-11-28T10:00:00.1209Z"))).isEqualTo("2026-11-28T10:00:00.120Z");
        assertThat(TimeFormat.iso(Instant.parse("1999-12-31T23:59:59.999999999Z"))).isEqualTo("1999-12-31T23:59:59.999Z");
    }
}
