package io.fabrictelemetry.metrics.snapshot;

import java.time.Duration;

/** Durations in the notation the settings take ({@code 2s}, {@code 1500ms}, {@code 5m}, {@code 1h}). */
final class Durations {

    private Durations() {
    }

    static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
