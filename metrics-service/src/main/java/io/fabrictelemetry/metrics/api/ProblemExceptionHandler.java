package io.fabrictelemetry.metrics.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where every error the application sees becomes an RFC 9457 problem body
 * ({@code application/problem+json} with type, title, status, detail). No stack trace or exception
 * text ever reaches a client; an unexpected exception is logged here and answered as a generic 500.
 * Ordered ahead of Spring Boot's default handler.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    private final JsonMapper json;

    ProblemExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        HttpStatusCode status;
        HttpHeaders headers = HttpHeaders.EMPTY;
        if (error instanceof ProblemException known) {
            status = known.status();
            problem.put("type", known.type());
            problem.put("title", known.status().getReasonPhrase());
            problem.put("status", status.value());
            problem.put("detail", known.getMessage());
            problem.putAll(known.properties());
            headers = known.headers();
        } else if (error instanceof ErrorResponse framework) {
            status = framework.getStatusCode();
            problem.put("type", "about:blank");
            problem.put("title", title(status));
            problem.put("status", status.value());
            problem.put("detail", frameworkDetail(status, framework));
            headers = framework.getHeaders();
        } else {
            log.error("Unexpected error answering {} {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), error);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            problem.put("type", "about:blank");
            problem.put("title", title(status));
            problem.put("status", status.value());
            problem.put("detail", "internal error; the service log has the details");
        }
        problem.put("instance", exchange.getRequest().getPath().value());
        response.setStatusCode(status);
        response.getHeaders().addAll(headers);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(problem);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }

    private static String title(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "HTTP " + status.value() : known.getReasonPhrase();
    }

    /** Framework messages can echo request text; these fixed details never do. */
    private static String frameworkDetail(HttpStatusCode status, ErrorResponse error) {
        return switch (status.value()) {
            case 404 -> "no such resource; the API serves /telemetry/GetMetric, /telemetry/ListMetrics, "
                    + "/telemetry/TopSwitches, /telemetry/TopPorts, /telemetry/GetMetricHistory, /telemetry/stream and"
                    + " /telemetry/prometheus";
            case 405 -> "method not allowed; allowed: " + error.getHeaders().getAllow();
            default -> {
                String detail = error.getBody().getDetail();
                yield detail == null ? title(status) : detail.length() > 200 ? detail.substring(0, 200) + "…" : detail;
            }
        };
    }
}
