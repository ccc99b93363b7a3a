package io.fabrictelemetry.metrics.query;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.api.QueryParameters;

/**
 * The parameters of {@code TopSwitches}, checked: {@code metric} (required), {@code limit} (1 to
 * {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}), {@code order} ({@code desc} by default, or
 * {@code asc}). Anything else is a {@code 400} problem naming the parameter and what it allows.
 */
record TopSwitchesQuery(String metric, int limit, boolean descending) {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 1000;

    /**
     * The query of a request's raw query string, read in place ({@link QueryParameters#parameterValues}):
     * no map of every parameter per request, the same answers as reading Spring's decoded one.
     */
    static TopSwitchesQuery parse(@Nullable String rawQuery) {
        String metric = QueryParameters.requiredParameter(rawQuery, "metric");
        String limit = optional(QueryParameters.parameterValues(rawQuery, "limit"), "limit");
        String order = optional(QueryParameters.parameterValues(rawQuery, "order"), "order");
        return new TopSwitchesQuery(metric, limit == null ? DEFAULT_LIMIT : limit(limit),
                order == null || descending(order));
    }

    String order() {
        return descending ? "desc" : "asc";
    }

    private static @Nullable String optional(@Nullable List<@Nullable String> values, String name) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "repeated-parameter",
                    "query parameter '" + name + "' must be given at most once, but was given " + values.size()
                            + " times");
        }
        String value = values.get(0);
        return value == null ? "" : value;
    }

    private static int limit(String text) {
        // digits only: no sign, space or exponent; at most 4 so that parsing cannot overflow
        if (!text.isEmpty() && text.length() <= 4) {
            int limit = 0;
            for (int i = 0; i < text.length() && limit >= 0; i++) {
                char c = text.charAt(i);
                limit = c >= '0' && c <= '9' ? limit * 10 + (c - '0') : -1;
            }
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw invalid("limit", "an integer from 1 to " + MAX_LIMIT, text);
    }

    private static boolean descending(String text) {
        return switch (text) {
            case "desc" -> true;
            case "asc" -> false;
            default -> throw invalid("order", "'desc' or 'asc'", text);
        };
    }

    private static ProblemException invalid(String name, String allowed, String value) {
        String shown = value.length() <= 32 ? value : value.substring(0, 32) + "…";
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "query parameter '" + name + "' must be " + allowed + ", but was '" + shown + "'");
    }
}
