package io.fabrictelemetry.metrics.api;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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
 * bad percent-encoding (and one more: escapes that are not UTF-8, which {@code URLDecoder} turns into
 * U+FFFD, are refused as bad encoding too) — without the regular expression and without decoding
 * what has nothing to decode. Spring matches {@code ([^&=]+)(=?)([^&]+)?} repeatedly; this walks the string once with
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
        for (int i = nameStart(rawQuery, 0); i < n; ) {
            int nameEnd = nameEnd(rawQuery, i);
            String name = decode(rawQuery, i, nameEnd);
            if (nameEnd < n && rawQuery.charAt(nameEnd) == '=') {
                int valueStart = nameEnd + 1;
                int valueEnd = valueEnd(rawQuery, valueStart);
                params.add(name, valueEnd > valueStart ? decode(rawQuery, valueStart, valueEnd) : "");
                i = nameStart(rawQuery, valueEnd);
            } else {
                params.add(name, null);
                i = nameStart(rawQuery, nameEnd);
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
        // parse's walk, through the same scanners, without the map and the strings: the scanners are
        // static methods the JIT inlines, where a shared cursor object (tried in session 6,
        // docs/BENCHMARKS.md) measured a median 3 % less GetMetric throughput; QueryStringTests holds
        // the two to the same answers
        List<@Nullable String> values = null;
        int n = rawQuery.length();
        for (int i = nameStart(rawQuery, 0); i < n; ) {
            int nameEnd = nameEnd(rawQuery, i);
            boolean named = nameEnd - i == name.length() && rawQuery.startsWith(name, i);
            @Nullable String value = null;
            if (nameEnd < n && rawQuery.charAt(nameEnd) == '=') {
                int valueStart = nameEnd + 1;
                int valueEnd = valueEnd(rawQuery, valueStart);
                if (named) {
                    value = rawQuery.substring(valueStart, valueEnd);
                }
                i = nameStart(rawQuery, valueEnd);
            } else {
                i = nameStart(rawQuery, nameEnd);
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

    /** Where the next name starts at or after {@code i}: past any {@code &} and {@code =} (no name starts there). */
    private static int nameStart(String query, int i) {
        int n = query.length();
        while (i < n && (query.charAt(i) == '&' || query.charAt(i) == '=')) {
            i++;
        }
        return i;
    }

    /** Where the name that starts at {@code i} ends: at the next {@code &} or {@code =}, or the end. */
    private static int nameEnd(String query, int i) {
        int n = query.length();
        while (i < n && query.charAt(i) != '&' && query.charAt(i) != '=') {
            i++;
        }
        return i;
    }

    /** Where the value that starts at {@code i} ends: at the next {@code &}, or the end. */
    private static int valueEnd(String query, int i) {
        int n = query.length();
        while (i < n && query.charAt(i) != '&') {
            i++;
        }
        return i;
    }

    private static String decode(String query, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c == '%' || c == '+') {
                return strictDecode(query, start, end);
            }
        }
        return query.substring(start, end);
    }

    /**
     * {@link URLDecoder#decode(String, java.nio.charset.Charset)}'s reading — {@code +} a space,
     * each run of {@code %XX} bytes decoded as UTF-8, its {@code IllegalArgumentException} for a bad
     * or cut escape — except that bytes that are not UTF-8 ({@code %E2%82}, {@code %FF}) are refused
     * with an {@code IllegalArgumentException} too, where {@code URLDecoder} reads them as U+FFFD and
     * a client would be told that a switch named U+FFFD does not exist.
     */
    static String strictDecode(String query, int start, int end) {
        StringBuilder out = new StringBuilder(end - start);
        CharsetDecoder utf8 = null;
        byte[] bytes = null;
        int i = start;
        while (i < end) {
            char c = query.charAt(i);
            if (c == '+') {
                out.append(' ');
                i++;
            } else if (c == '%') {
                if (bytes == null) {
                    bytes = new byte[(end - i) / 3];
                }
                int count = 0;
                while (i + 2 < end && c == '%') {
                    int value;
                    try {
                        value = Integer.parseInt(query, i + 1, i + 3, 16);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(
                                "URLDecoder: Illegal hex characters in escape (%) pattern - " + e.getMessage());
                    }
                    if (value < 0) {
                        throw new IllegalArgumentException(
                                "URLDecoder: Illegal hex characters in escape (%) pattern - negative value");
                    }
                    bytes[count++] = (byte) value;
                    i += 3;
                    if (i < end) {
                        c = query.charAt(i);
                    }
                }
                if (i < end && c == '%') {
                    throw new IllegalArgumentException("URLDecoder: Incomplete trailing escape (%) pattern");
                }
                if (utf8 == null) {
                    utf8 = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
                }
                try {
                    out.append(utf8.decode(ByteBuffer.wrap(bytes, 0, count)));
                } catch (CharacterCodingException e) {
                    throw new IllegalArgumentException("percent-escapes that are not UTF-8", e);
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
