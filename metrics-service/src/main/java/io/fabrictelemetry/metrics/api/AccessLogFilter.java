package io.fabrictelemetry.metrics.api;

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
 * One line per request: method, path with query, status, duration. The "access" logger goes
 * through an asynchronous appender (logback-spring.xml), so the event loop never waits on I/O.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessLogFilter implements WebFilter {

    private static final Logger access = LoggerFactory.getLogger("access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            if (access.isInfoEnabled()) {
                ServerHttpRequest request = exchange.getRequest();
                HttpStatusCode status = exchange.getResponse().getStatusCode();
                access.info("{} {} {} {}ms", request.getMethod(), request.getURI().getRawPath()
                                + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery()),
                        status == null ? "-" : status.value(), (System.nanoTime() - start) / 1_000_000);
            }
        });
    }
}
