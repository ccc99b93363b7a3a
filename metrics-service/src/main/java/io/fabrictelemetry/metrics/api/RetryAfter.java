package io.fabrictelemetry.metrics.api;

import java.time.Duration;

/** {@code Retry-After} values: whole seconds, rounded up, never below 1 (a {@code 0} would invite a retry storm). */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** {@code wait} as a {@code Retry-After} header value: {@code 1500ms} is {@code "2"}, {@code 0s} is {@code "1"}. */
    public static String seconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
