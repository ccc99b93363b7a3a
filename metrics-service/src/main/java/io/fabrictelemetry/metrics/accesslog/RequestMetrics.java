package io.fabrictelemetry.metrics.accesslog;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.handler.ExceptionHandlingWebHandler;
import org.springframework.web.util.pattern.PathPattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The {@code http.server.requests} timer ({@code http_server_requests_seconds} in Prometheus),
 * recorded by {@link AccessLogFilter}, which times every request for the access log anyway. It
 * replaces Spring's per-request Observation, which cost about a quarter of GetMetric's throughput
 * (see {@link RequestObservationOff}), and keeps what it produced: the same name, the same tags
 * with the same values as Spring's {@code DefaultServerRequestObservationConvention} plus
 * Micrometer's {@code error} tag, and the histogram buckets that
 * {@code management.metrics.distribution.percentiles-histogram.http.server.requests} configures
 * (Spring Boot's meter filters apply to any meter of that name, whoever registers it).
 *
 * <p>A timer is looked up per distinct tag set in a map of its own instead of being registered per
 * request: the tags are low-cardinality by construction (route templates, never raw paths).
 */
@Component
class RequestMetrics {

    static final String NAME = "http.server.requests";
    private static final Set<HttpMethod> STANDARD_METHODS = Set.of(HttpMethod.values());
    private static final String UNKNOWN = "UNKNOWN";
    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Records one finished request.
     *
     * @param aborted the client went away (the exchange was cancelled) before the answer completed
     */
    void record(ServerWebExchange exchange, boolean aborted, long nanos) {
        Key key = keyOf(exchange, aborted);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::register);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Key keyOf(ServerWebExchange exchange, boolean aborted) {
        HttpMethod method = exchange.getRequest().getMethod();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        // a client that left before the answer was committed never got a status
        int statusValue = status == null || (aborted && !exchange.getResponse().isCommitted()) ? -1 : status.value();
        Throwable error = exchange.getAttribute(ExceptionHandlingWebHandler.HANDLED_WEB_EXCEPTION);
        return new Key(STANDARD_METHODS.contains(method) ? method.name() : UNKNOWN,
                uri(exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE), status),
                statusValue, aborted, error == null ? NONE : nameOf(error));
    }

    private static String uri(@Nullable Object pattern, @Nullable HttpStatusCode status) {
        if (pattern instanceof PathPattern matched) {
            String text = matched.getPatternString();
            return text.isEmpty() ? "root" : text;
        }
        HttpStatus known = status == null ? null : HttpStatus.resolve(status.value());
        if (known != null && known.is3xxRedirection()) {
            return "REDIRECTION";
        }
        return known == HttpStatus.NOT_FOUND ? "NOT_FOUND" : UNKNOWN;
    }

    private static String nameOf(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }

    private Timer register(Key key) {
        return Timer.builder(NAME).tags(key.tags()).register(registry);
    }

    /**
     * One tag set; {@code status} -1 when there is none. A class rather than a record: it is built and
     * looked up on every request, and a record's generated {@code hashCode} and {@code equals} (method
     * handles combining each field) showed in a profile of a GetMetric flood; here the hash is computed
     * once and the strings, usually the same instances, compare by identity first.
     */
    private static final class Key {

        private final String method;
        private final String uri;
        private final int status;
        private final boolean aborted;
        private final String exception;
        private final int hash;

        Key(String method, String uri, int status, boolean aborted, String exception) {
            this.method = method;
            this.uri = uri;
            this.status = status;
            this.aborted = aborted;
            this.exception = exception;
            this.hash = (((method.hashCode() * 31 + uri.hashCode()) * 31 + status) * 31 + (aborted ? 1 : 0)) * 31
                    + exception.hashCode();
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Key key && hash == key.hash && status == key.status && aborted == key.aborted
                    && method.equals(key.method) && uri.equals(key.uri) && exception.equals(key.exception);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        Tags tags() {
            return Tags.of("method", method, "uri", uri, "status", status < 0 ? UNKNOWN : Integer.toString(status),
                    "outcome", outcome(), "exception", exception, "error", exception);
        }

        private String outcome() {
            if (aborted || status < 0) {
                return UNKNOWN;
            }
            return switch (status / 100) {
                case 1 -> "INFORMATIONAL";
                case 2 -> "SUCCESS";
                case 3 -> "REDIRECTION";
                case 4 -> "CLIENT_ERROR";
                case 5 -> "SERVER_ERROR";
                default -> UNKNOWN;
            };
        }
    }
}
