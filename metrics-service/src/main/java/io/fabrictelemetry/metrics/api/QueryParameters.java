package io.fabrictelemetry.metrics.api;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The rules every endpoint applies to its query parameters: a query string that is valid
 * percent-encoded UTF-8, a required parameter given once, not blank, and at most
 * {@value #MAX_PARAMETER_LENGTH} characters long. Each broken rule is a {@code 400} problem.
 */
public final class QueryParameters {

    public static final int MAX_PARAMETER_LENGTH = 256;

    private QueryParameters() {
    }

    public static MultiValueMap<String, String> queryParams(ServerRequest request) {
        try {
            return QueryString.parse(request.uri().getRawQuery());
        } catch (IllegalArgumentException e) {
            throw invalidQuery();
        }
    }

    private static ProblemException invalidQuery() {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-query",
                "the query string is not valid percent-encoded UTF-8");
    }

    public static String requiredParameter(MultiValueMap<String, String> query, String name) {
        return requiredParameter(query.get(name), name);
    }

    /**
     * A required parameter read straight from the raw query ({@link QueryString#values}), with the
     * same answers as {@link #queryParams} followed by {@link #requiredParameter(MultiValueMap, String)}.
     */
    public static String requiredParameter(@Nullable String rawQuery, String name) {
        List<@Nullable String> values;
        try {
            values = QueryString.values(rawQuery, name);
        } catch (IllegalArgumentException e) {
            throw invalidQuery();
        }
        return requiredParameter(values, name);
    }

    /**
     * Every value of one parameter read straight from the raw query ({@link QueryString#values}), as
     * {@link #queryParams} would list them: {@code null} when the query does not name it, a {@code null}
     * value for a name without {@code =}. Bad percent-encoding anywhere in the query: the {@code 400}
     * of {@link #queryParams}. For a handler that judges a few known names itself, without a map.
     */
    public static @Nullable List<@Nullable String> parameterValues(@Nullable String rawQuery, String name) {
        try {
            return QueryString.values(rawQuery, name);
        } catch (IllegalArgumentException e) {
            throw invalidQuery();
        }
    }

    /**
     * An optional parameter read straight from the raw query ({@link QueryString#values}): {@code null}
     * when the query does not name it, {@code ""} when it names it without a value ({@code port=},
     * {@code port}), for the caller to judge. Given twice or longer than {@value #MAX_PARAMETER_LENGTH}
     * characters: the {@code 400} problems of a required parameter.
     */
    public static @Nullable String optionalParameter(@Nullable String rawQuery, String name) {
        List<@Nullable String> values;
        try {
            values = QueryString.values(rawQuery, name);
        } catch (IllegalArgumentException e) {
            throw invalidQuery();
        }
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw repeated(name, values.size());
        }
        String value = values.get(0);
        if (value == null) {
            return "";
        }
        if (value.length() > MAX_PARAMETER_LENGTH) {
            throw tooLong(name, value.length());
        }
        return value;
    }

    private static ProblemException repeated(String name, int times) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "repeated-parameter",
                "query parameter '" + name + "' must be given once, but was given " + times + " times");
    }

    private static ProblemException tooLong(String name, int length) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "parameter-too-long",
                "query parameter '" + name + "' must be at most " + MAX_PARAMETER_LENGTH
                        + " characters, but was " + length);
    }

    private static String requiredParameter(@Nullable List<@Nullable String> values, String name) {
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isBlank()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "missing-parameter",
                    "query parameter '" + name + "' is required and must not be blank");
        }
        if (values.size() > 1) {
            throw repeated(name, values.size());
        }
        String value = values.get(0);
        if (value.length() > MAX_PARAMETER_LENGTH) {
            throw tooLong(name, value.length());
        }
        return value;
    }
}
