package io.fabrictelemetry.metrics.accesslog;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Gives every request an ID, times it once, and reports it twice from that one measurement: one
 * access-log line (request ID, method, path with query, status, duration) and the
 * {@code http.server.requests} timer ({@link RequestMetrics}). A client's {@code X-Request-Id} is
 * kept when it is sane (1–64 characters of letters, digits, {@code . _ -}); otherwise one is
 * generated. The ID is returned in the response. The "access" logger goes through an asynchronous
 * appender (logback-spring.xml).
 *
 * <p>A request that is traced ({@link RequestSpans}: sampled with {@code TRACING_SAMPLING_PROBABILITY},
 * 0 by default) gets a server span, and its line ends with {@code trace=<trace ID>} and is logged
 * with that span current, so that the JSON logs carry the trace ID too. At probability 0 that costs
 * one field check per request.
 *
 * <p>Outermost filter: an error raised inside has been turned into its answer (status set) by the
 * exception handlers by the time {@code doFinally} runs, since it runs after the error signal has
 * travelled downstream to them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessLogFilter implements WebFilter {

    static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger access = LoggerFactory.getLogger("access");
    private static final HexFormat HEX = HexFormat.of();
    private static final String NAME = AccessLogFilter.class.getName();

    private final RequestMetrics metrics;
    private final RequestSpans spans;

    AccessLogFilter(RequestMetrics metrics, RequestSpans spans) {
        this.metrics = metrics;
        this.spans = spans;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        String offered = exchange.getRequest().getHeaders().getFirst(REQUEST_ID);
        String requestId = offered != null && SANE_ID.matcher(offered).matches() ? offered : newId();
        exchange.getResponse().getHeaders().set(REQUEST_ID, requestId);
        Span span = spans.start(exchange);
        return chain.filter(exchange).doFinally(signal -> {
            long nanos = System.nanoTime() - start;
            metrics.record(exchange, signal == SignalType.CANCEL, nanos);
            if (span != null) {
                spans.end(span, exchange, signal == SignalType.CANCEL);
                try (Tracer.SpanInScope scope = spans.inScope(span)) {
                    log(exchange, requestId, nanos, span.context().traceId());
                }
            } else {
                log(exchange, requestId, nanos, null);
            }
        });
    }

    private static void log(ServerWebExchange exchange, String requestId, long nanos, @Nullable String traceId) {
        if (access.isInfoEnabled()) {
            ServerHttpRequest request = exchange.getRequest();
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            String query = request.getURI().getRawQuery();
            String path = request.getURI().getRawPath();
            StringBuilder line = new StringBuilder(48 + path.length() + (query == null ? 0 : query.length()))
                    .append(requestId).append(' ').append(request.getMethod().name()).append(' ').append(path);
            if (query != null) {
                line.append('?').append(query);
            }
            line.append(' ');
            if (status == null) {
                line.append('-');
            } else {
                line.append(status.value());
            }
            line.append(' ').append(nanos / 1_000_000).append("ms");
            if (traceId != null) {
                line.append(" trace=").append(traceId);
            }
            access.info(line.toString());
        }
    }

    /** 16 hex digits: unique enough to find a request in the logs, and cheap (no SecureRandom, no format). */
    private static String newId() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /**
     * A constant: Spring's filter chain names each filter's step with its {@code toString()} on every
     * request ({@code Mono.checkpoint}, seen in error traces), which {@code Object}'s would build anew
     * (class name and hash code) each time.
     */
    @Override
    public String toString() {
        return NAME;
    }
}
