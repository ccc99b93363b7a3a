package io.fabrictelemetry.metrics.api;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

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

import reactor.core.publisher.Mono;

/**
 * Gives every request an ID and writes one access-log line for it: request ID, method, path with
 * query, status, duration. A client's {@code X-Request-Id} is kept when it is sane (1–64 characters
 * of letters, digits, {@code . _ -}); otherwise one is generated. The ID is returned in the response.
 * The "access" logger goes through an asynchronous appender (logback-spring.xml).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessLogFilter implements WebFilter {

    static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Logger access = LoggerFactory.getLogger("access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        String offered = exchange.getRequest().getHeaders().getFirst(REQUEST_ID);
        String requestId = offered != null && SANE_ID.matcher(offered).matches() ? offered : newId();
        exchange.getResponse().getHeaders().set(REQUEST_ID, requestId);
        return chain.filter(exchange).doFinally(signal -> {
            if (access.isInfoEnabled()) {
                ServerHttpRequest request = exchange.getRequest();
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                String query = request.getURI().getRawQuery();
                access.info("{} {} {}{} {} {}ms", requestId, request.getMethod(), request.getURI().getRawPath(),
                        query == null ? "" : "?" + query, status == null ? "-" : status.value(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        });
    }

    /** 16 hex digits: unique enough to find a request in the logs, and cheap (no SecureRandom, no format). */
    private static String newId() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
    }
}
