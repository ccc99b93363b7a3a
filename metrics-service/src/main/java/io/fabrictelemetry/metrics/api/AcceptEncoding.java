package io.fabrictelemetry.metrics.api;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * What a request's {@code Accept-Encoding} says of gzip: the rule of every answer that has a gzip
 * variant (ListMetrics, the Prometheus export of port rows).
 */
public final class AcceptEncoding {

    private AcceptEncoding() {
    }

    /**
     * True when the client lists gzip with a weight above zero. Codings, parameter names and
     * values are case-insensitive (RFC 9110 §12.4.2, §12.5.3): {@code gzip;Q=0} refuses gzip as
     * {@code gzip;q=0} does. Reads the header in place, without splitting or a pattern: it runs on
     * every ListMetrics request and every scrape of a port-row export.
     */
    public static boolean acceptsGzip(ServerRequest request) {
        for (String value : request.headers().header(HttpHeaders.ACCEPT_ENCODING)) {
            int verdict = gzipIn(value);
            if (verdict != NOT_LISTED) {
                return verdict == ACCEPTED;
            }
        }
        return false;
    }

    static final int NOT_LISTED = -1;
    static final int REFUSED = 0;
    static final int ACCEPTED = 1;

    /** What one {@code Accept-Encoding} value says of gzip: {@link #ACCEPTED}, {@link #REFUSED} ({@code q=0}) or {@link #NOT_LISTED}. */
    static int gzipIn(String value) {
        int n = value.length();
        for (int start = 0; start < n; ) {
            int end = value.indexOf(',', start);
            if (end < 0) {
                end = n;
            }
            int nameEnd = value.indexOf(';', start);
            if (nameEnd < 0 || nameEnd > end) {
                nameEnd = end;
            }
            if (isToken(value, start, nameEnd, "gzip")) {
                return weightIsZero(value, nameEnd, end) ? REFUSED : ACCEPTED;
            }
            start = end + 1;
        }
        return NOT_LISTED;
    }

    /** True when the parameters in {@code [from, to)} (each after a {@code ;}) hold a weight of zero. */
    private static boolean weightIsZero(String value, int from, int to) {
        for (int at = from; at < to; ) {
            int next = value.indexOf(';', at + 1);
            if (next < 0 || next > to) {
                next = to;
            }
            int equals = value.indexOf('=', at + 1);
            if (equals > 0 && equals < next && isToken(value, at + 1, equals, "q")) {
                return isZero(value, equals + 1, next);
            }
            at = next;
        }
        return false;
    }

    /** {@code 0}, {@code 0.}, {@code 0.0}, {@code 0.000} …, with optional whitespace around. */
    private static boolean isZero(String value, int from, int to) {
        while (from < to && isSpace(value.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(value.charAt(to - 1))) {
            to--;
        }
        if (from == to || value.charAt(from) != '0') {
            return false;
        }
        if (++from == to) {
            return true;
        }
        if (value.charAt(from++) != '.') {
            return false;
        }
        for (; from < to; from++) {
            if (value.charAt(from) != '0') {
                return false;
            }
        }
        return true;
    }

    /** True when {@code [from, to)}, whitespace around it aside, is {@code token} in any case. */
    private static boolean isToken(String value, int from, int to, String token) {
        while (from < to && isSpace(value.charAt(from))) {
            from++;
        }
        while (to > from && isSpace(value.charAt(to - 1))) {
            to--;
        }
        return to - from == token.length() && value.regionMatches(true, from, token, 0, token.length());
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
