package io.fabrictelemetry.metrics.query;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import io.fabrictelemetry.metrics.api.ProblemException;

/**
 * GetMetric's optional {@code port}: a port number, written as decimal digits ({@code 23}, and
 * {@code 023} too, which is 23). No sign, space, point or exponent: anything else, the empty value
 * included, is a {@code 400} {@code …:invalid-parameter}. Digits too many for any port number are
 * no syntax error: such a port is simply not in the snapshot ({@link #BEYOND_ANY_PORT}, a {@code 404}).
 */
final class PortParameter {

    /** The query does not name {@code port}: the switch (or its aggregate) is asked for. */
    static final int ABSENT = -1;
    /** Digits, but more than nine significant ones: no port of any snapshot has that number. */
    static final int BEYOND_ANY_PORT = -2;

    private PortParameter() {
    }

    /** The port number of {@code text} ({@code null}: the parameter is absent), or a {@code 400} problem. */
    static int parse(@Nullable String text) {
        if (text == null) {
            return ABSENT;
        }
        int n = text.length();
        int value = 0;
        int significant = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(text);
            }
            if (significant > 0 || c != '0') {
                significant++;
            }
            if (significant <= 9) {
                value = value * 10 + (c - '0');
            }
        }
        if (n == 0) {
            throw invalid(text);
        }
        return significant > 9 ? BEYOND_ANY_PORT : value;
    }

    private static ProblemException invalid(String value) {
        String shown = value.length() <= 32 ? value : value.substring(0, 32) + "…";
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "query parameter 'port' must be a port number (decimal digits, e.g. 23), but was '" + shown + "'");
    }
}
