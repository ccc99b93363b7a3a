package io.fabrictelemetry.metrics.api;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import java.util.List;

import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;

import io.fabrictelemetry.metrics.api.docs.ApiDocs;
import io.fabrictelemetry.metrics.export.PrometheusHandler;
import io.fabrictelemetry.metrics.history.HistoryHandler;
import io.fabrictelemetry.metrics.query.TelemetryHandler;
import io.fabrictelemetry.metrics.stream.StreamHandler;
import reactor.core.publisher.Mono;

/**
 * The telemetry routes, each with its OpenAPI description ({@link ApiDocs}): springdoc's route
 * builder is Spring's, plus the description springdoc publishes at {@code /v3/api-docs}. Every
 * telemetry path answers {@code OPTIONS} and, for any other method, a {@code 405} with {@code Allow}.
 */
@Configuration(proxyBeanMethods = false)
public class TelemetryRouter {

    public static final String GET_METRIC = "/telemetry/GetMetric";
    public static final String LIST_METRICS = "/telemetry/ListMetrics";
    public static final String PROMETHEUS = "/telemetry/prometheus";
    public static final String TOP_SWITCHES = "/telemetry/TopSwitches";
    public static final String TOP_PORTS = "/telemetry/TopPorts";
    public static final String GET_METRIC_HISTORY = "/telemetry/GetMetricHistory";
    public static final String STREAM = "/telemetry/stream";

    static final List<HttpMethod> ALLOWED = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Bean
    RouterFunction<ServerResponse> telemetryRoutes(TelemetryHandler handler, HistoryHandler history,
            StreamHandler stream, PrometheusHandler prometheus) {
        RequestPredicate telemetryPaths = path(GET_METRIC).or(path(LIST_METRICS)).or(path(PROMETHEUS))
                .or(path(TOP_SWITCHES)).or(path(TOP_PORTS)).or(path(GET_METRIC_HISTORY)).or(path(STREAM));
        return SpringdocRouteBuilder.route()
                .GET(GET_METRIC, handler::getMetric, ApiDocs.getMetric(false))
                .HEAD(GET_METRIC, handler::getMetric, ApiDocs.getMetric(true))
                .GET(LIST_METRICS, handler::listMetrics, ApiDocs.listMetrics(false))
                .HEAD(LIST_METRICS, handler::listMetrics, ApiDocs.listMetrics(true))
                .GET(TOP_SWITCHES, handler::topSwitches, ApiDocs.topSwitches(false))
                .HEAD(TOP_SWITCHES, handler::topSwitches, ApiDocs.topSwitches(true))
                .GET(TOP_PORTS, handler::topPorts, ApiDocs.topPorts(false))
                .HEAD(TOP_PORTS, handler::topPorts, ApiDocs.topPorts(true))
                .GET(PROMETHEUS, prometheus::prometheus, ApiDocs.prometheus(false))
                .HEAD(PROMETHEUS, prometheus::prometheus, ApiDocs.prometheus(true))
                .GET(GET_METRIC_HISTORY, history::getMetricHistory, ApiDocs.getMetricHistory(false))
                .HEAD(GET_METRIC_HISTORY, history::getMetricHistory, ApiDocs.getMetricHistory(true))
                .GET(STREAM, stream::stream, ApiDocs.stream(false))
                .HEAD(STREAM, stream::head, ApiDocs.stream(true))
                .OPTIONS(GET_METRIC, TelemetryRouter::options, ApiDocs.options("optionsGetMetric"))
                .OPTIONS(GET_METRIC_HISTORY, TelemetryRouter::options, ApiDocs.options("optionsGetMetricHistory"))
                .OPTIONS(STREAM, TelemetryRouter::options, ApiDocs.options("optionsStream"))
                .OPTIONS(LIST_METRICS, TelemetryRouter::options, ApiDocs.options("optionsListMetrics"))
                .OPTIONS(PROMETHEUS, TelemetryRouter::options, ApiDocs.options("optionsPrometheus"))
                .OPTIONS(TOP_SWITCHES, TelemetryRouter::options, ApiDocs.options("optionsTopSwitches"))
                .OPTIONS(TOP_PORTS, TelemetryRouter::options, ApiDocs.options("optionsTopPorts"))
                .build()
                // any other method on a telemetry path: 405 with Allow, not a 404 (described in the API's info)
                .and(RouterFunctions.route(telemetryPaths, TelemetryRouter::methodNotAllowed));
    }

    private static Mono<ServerResponse> options(ServerRequest request) {
        return ServerResponse.noContent().allow(ALLOWED.toArray(HttpMethod[]::new)).build();
    }

    private static Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
        return Mono.error(new MethodNotAllowedException(request.method(), ALLOWED));
    }
}
