package io.fabrictelemetry.metrics.api;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The telemetry routes, each with its OpenAPI description ({@link ApiDocs}): springdoc's route
 * builder is Spring's, plus the description springdoc publishes at {@code /v3/api-docs}.
 */
@Configuration(proxyBeanMethods = false)
class TelemetryRouter {

    static final String GET_METRIC = "/telemetry/GetMetric";
    static final String LIST_METRICS = "/telemetry/ListMetrics";
    static final String PROMETHEUS = "/telemetry/prometheus";
    static final String TOP_SWITCHES = "/telemetry/TopSwitches";
    static final String GET_METRIC_HISTORY = "/telemetry/GetMetricHistory";
    static final String STREAM = "/telemetry/stream";

    @Bean
    RouterFunction<ServerResponse> telemetryRoutes(TelemetryHandler handler, HistoryHandler history,
            StreamHandler stream) {
        RequestPredicate telemetryPaths = path(GET_METRIC).or(path(LIST_METRICS)).or(path(PROMETHEUS))
                .or(path(TOP_SWITCHES)).or(path(GET_METRIC_HISTORY)).or(path(STREAM));
        return SpringdocRouteBuilder.route()
                .GET(GET_METRIC, handler::getMetric, ApiDocs.getMetric(false))
                .HEAD(GET_METRIC, handler::getMetric, ApiDocs.getMetric(true))
                .GET(LIST_METRICS, handler::listMetrics, ApiDocs.listMetrics(false))
                .HEAD(LIST_METRICS, handler::listMetrics, ApiDocs.listMetrics(true))
                .GET(TOP_SWITCHES, handler::topSwitches, ApiDocs.topSwitches(false))
                .HEAD(TOP_SWITCHES, handler::topSwitches, ApiDocs.topSwitches(true))
                .GET(PROMETHEUS, handler::prometheus, ApiDocs.prometheus(false))
                .HEAD(PROMETHEUS, handler::prometheus, ApiDocs.prometheus(true))
                .GET(GET_METRIC_HISTORY, history::getMetricHistory, ApiDocs.getMetricHistory(false))
                .HEAD(GET_METRIC_HISTORY, history::getMetricHistory, ApiDocs.getMetricHistory(true))
                .GET(STREAM, stream::stream, ApiDocs.stream(false))
                .HEAD(STREAM, stream::head, ApiDocs.stream(true))
                .OPTIONS(GET_METRIC, handler::options, ApiDocs.options("optionsGetMetric"))
                .OPTIONS(GET_METRIC_HISTORY, handler::options, ApiDocs.options("optionsGetMetricHistory"))
                .OPTIONS(STREAM, handler::options, ApiDocs.options("optionsStream"))
                .OPTIONS(LIST_METRICS, handler::options, ApiDocs.options("optionsListMetrics"))
                .OPTIONS(PROMETHEUS, handler::options, ApiDocs.options("optionsPrometheus"))
                .OPTIONS(TOP_SWITCHES, handler::options, ApiDocs.options("optionsTopSwitches"))
                .build()
                // any other method on a telemetry path: 405 with Allow, not a 404 (described in the API's info)
                .and(RouterFunctions.route(telemetryPaths, handler::methodNotAllowed));
    }
}
