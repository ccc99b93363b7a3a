package io.fabrictelemetry.generator.api;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import reactor.core.publisher.Mono;

/**
 * One line per request: method, path with query, status, duration. The "access" logger goes
 * through an asynchronous appender (logback-spring.xml), so the event loop never waits on I/O.
 *
 * <p>A traced request (a poll's {@code /counters}, which follows the poller's {@code traceparent}, or
 * one sampled with {@code TRACING_SAMPLING_PROBABILITY}) is a server span of Spring's request
 * Observation; its line ends with {@code trace=<trace ID>} and is logged with that span current, so
 * the JSON logs carry the trace ID too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessLogFilter implements WebFilter {

    private static final Logger access = LoggerFactory.getLogger("access");

    private final Tracer tracer;

    AccessLogFilter(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            if (access.isInfoEnabled()) {
                Span span = sampledSpan(exchange);
                if (span == null) {
                    log(exchange, start, "");
                } else {
                    try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                        log(exchange, start, " trace=" + span.context().traceId());
                    }
                }
            }
        });
    }

    private static void log(ServerWebExchange exchange, long start, String trace) {
        ServerHttpRequest request = exchange.getRequest();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        access.info("{} {} {} {}ms{}", request.getMethod(), request.getURI().getRawPath()
                        + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery()),
                status == null ? "-" : status.value(), (System.nanoTime() - start) / 1_000_000, trace);
    }

    /** The request Observation's span, when it is sampled. */
    private static @Nullable Span sampledSpan(ServerWebExchange exchange) {
        ServerRequestObservationContext context =
                ServerRequestObservationContext.findCurrent(exchange.getAttributes()).orElse(null);
        TracingObservationHandler.TracingContext tracing =
                context == null ? null : context.get(TracingObservationHandler.TracingContext.class);
        Span span = tracing == null ? null : tracing.getSpan();
        return span != null && Boolean.TRUE.equals(span.context().sampled()) ? span : null;
    }
}
