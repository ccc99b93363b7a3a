package io.fabrictelemetry.metrics.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * A raw query string as Spring's {@code ServerHttpRequest.getQueryParams()} reads it — the same
 * names, values and order, the same {@code null} for a name without {@code =} and {@code ""} for
 * one with it, the same {@link URLDecoder} decoding and its {@code IllegalArgumentException} for
 * bad percent-encoding — without the regular expression and without decoding what has nothing to
 * decode. Spring matches {@code ([^&=]+)(=?)([^&]+)?} repeatedly; this walks the string once with
 * the same rules. {@code QueryStringTests} checks it against Spring's own on random queries.
 */
final class QueryString {

    private QueryString() {
    }

    static MultiValueMap<String, @Nullable String> parse(@Nullable String rawQuery) {
        MultiValueMap<String, @Nullable String> params = new LinkedMultiValueMap<>(4);
        if (rawQuery == null) {
            return params;
        }
        int n = rawQuery.length();
        int i = 0;
        while (i < n) {
            char c = rawQuery.charAt(i);
            if (c == '&' || c == '=') { // no name starts here
                i++;
                continue;
            }
            int nameEnd = i;
            while (nameEnd < n && rawQuery.charAt(nameEnd) != '&' && rawQuery.charAt(nameEnd) != '=') {
                nameEnd++;
            }
            String name = decode(rawQuery, i, nameEnd);
            if (nameEnd < n && rawQuery.charAt(nameEnd) == '=') {
                int valueStart = nameEnd + 1;
                int valueEnd = valueStart;
                while (valueEnd < n && rawQuery.charAt(valueEnd) != '&') {
                    valueEnd++;
                }
                params.add(name, valueEnd > valueStart ? decode(rawQuery, valueStart, valueEnd) : "");
                i = valueEnd;
            } else {
                params.add(name, null);
                i = nameEnd;
            }
        }
        return params;
    }

    /**
     * The values of one parameter, exactly as {@code parse(rawQuery).get(name)} has them ({@code null}
     * when the name does not occur), for a handler that reads a few known names. A query with nothing
     * to decode (no {@code %}, no {@code +}: every query the usual clients send) is walked in place,
     * without building the map or a string per name; any other query is parsed whole, so that bad
     * percent-encoding anywhere in it is refused as {@link #parse} refuses it.
     */
    static @Nullable List<@Nullable String> values(@Nullable String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        if (rawQuery.indexOf('%') >= 0 || rawQuery.indexOf('+') >= 0) {
            return parse(rawQuery).get(name);
        }
        List<@Nullable String> values = null;
        int n = rawQuery.length();
        int i = 0;
        while (i < n) {
            char c = rawQuery.charAt(i);
            if (c == '&' || c == '=') { // no name starts here
                i++;
                continue;
            }
            int nameEnd = i;
            while (nameEnd < n && rawQuery.charAt(nameEnd) != '&' && rawQuery.charAt(nameEnd) != '=') {
                nameEnd++;
            }
            boolean named = nameEnd - i == name.length() && rawQuery.startsWith(name, i);
            @Nullable String value = null;
            if (nameEnd < n && rawQuery.charAt(nameEnd) == '=') {
                int valueStart = nameEnd + 1;
                int valueEnd = valueStart;
                while (valueEnd < n && rawQuery.charAt(valueEnd) != '&') {
                    valueEnd++;
                }
                if (named) {
                    value = rawQuery.substring(valueStart, valueEnd);
                }
                i = valueEnd;
            } else {
                i = nameEnd;
            }
            if (named) {
                if (values == null) {
                    values = Collections.singletonList(value);
                } else {
                    if (values.size() == 1) {
                        values = new ArrayList<>(values);
                    }
                    values.add(value);
                }
            }
        }
        return values;
    }

    private static String decode(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c == '%' || c == '+') {
                return URLDecoder.decode(query.substring(start, end), StandardCharsets.UTF_8);
            }
        }
        return query.substring(start, end);
    }
}
