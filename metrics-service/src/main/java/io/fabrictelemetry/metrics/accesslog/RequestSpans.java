package io.fabrictelemetry.metrics.accesslog;

import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.pattern.PathPattern;

import io.fabrictelemetry.conventions.tracing.TracingProperties;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * A server span per sampled API request, started and ended by {@link AccessLogFilter}. The HTTP
 * server's own Observation, which would make one, is off ({@link RequestObservationOff}: it cost a
 * quarter of GetMetric's throughput), so this is the whole of request tracing: a span continuing the
 * caller's {@code traceparent} when there is one, else a new trace sampled with
 * {@code TRACING_SAMPLING_PROBABILITY}. At probability 0 (the default) {@link #start} returns at once
 * and no request makes a span, whatever {@code traceparent} it carries.
 */
@Component
class RequestSpans {

    private final Tracer tracer;
    private final Propagator propagator;
    private final boolean on;

    /** {@code propagators}: none when tracing's auto-configuration is left out (Micrometer's no-op tracer). */
    RequestSpans(Tracer tracer, ObjectProvider<Propagator> propagators, TracingProperties tracing) {
        this.tracer = tracer;
        this.propagator = propagators.getIfAvailable(() -> Propagator.NOOP);
        this.on = tracing.samplingProbability() > 0;
    }

    /** The request's span if it is sampled, else {@code null}. */
    @Nullable Span start(ServerWebExchange exchange) {
        if (!on) {
            return null;
        }
        HttpHeaders headers = exchange.getRequest().getHeaders();
        Span span = propagator.extract(headers, HttpHeaders::getFirst)
                .name("http " + exchange.getRequest().getMethod().name().toLowerCase(Locale.ROOT))
                .kind(Span.Kind.SERVER)
                .start();
        if (!Boolean.TRUE.equals(span.context().sampled())) {
            span.end();
            return null;
        }
        return span;
    }

    /** Names the span after its route, tags the status and ends it. */
    void end(Span span, ServerWebExchange exchange, boolean aborted) {
        String method = exchange.getRequest().getMethod().name();
        Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String route = pattern instanceof PathPattern matched ? matched.getPatternString() : null;
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        span.name(route == null ? "http " + method.toLowerCase(Locale.ROOT) : method + " " + route)
                .tag("http.request.method", method)
                .tag("url.path", exchange.getRequest().getURI().getRawPath());
        if (route != null) {
            span.tag("http.route", route);
        }
        if (status != null) {
            span.tag("http.response.status_code", status.value());
        }
        if (aborted) {
            span.tag("fabric.request.aborted", true);
        }
        span.end();
    }

    /** Makes {@code span} current (its trace ID in the logs' MDC) until the scope closes. */
    Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }
}
