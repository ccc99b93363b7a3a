package io.fabrictelemetry.conventions;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ISO-8601 UTC with exactly three fractional digits: the one time format of both services' answers. */
public final class TimeFormat {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TimeFormat() {
    }

    public static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }
}
