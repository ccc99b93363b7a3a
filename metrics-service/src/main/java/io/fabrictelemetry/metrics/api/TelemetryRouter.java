package io.fabrictelemetry.metrics.api;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

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
        return RouterFunctions.route()
                .GET(GET_METRIC, handler::getMetric)
                .HEAD(GET_METRIC, handler::getMetric)
                .GET(LIST_METRICS, handler::listMetrics)
                .HEAD(LIST_METRICS, handler::listMetrics)
                .GET(TOP_SWITCHES, handler::topSwitches)
                .HEAD(TOP_SWITCHES, handler::topSwitches)
                .GET(PROMETHEUS, handler::prometheus)
                .HEAD(PROMETHEUS, handler::prometheus)
                .GET(GET_METRIC_HISTORY, history::getMetricHistory)
                .HEAD(GET_METRIC_HISTORY, history::getMetricHistory)
                .OPTIONS(GET_METRIC, handler::options)
                .GET(STREAM, stream::stream)
                .HEAD(STREAM, stream::head)
                .OPTIONS(GET_METRIC_HISTORY, handler::options)
                .OPTIONS(STREAM, handler::options)
                .OPTIONS(LIST_METRICS, handler::options)
                .OPTIONS(PROMETHEUS, handler::options)
                .OPTIONS(TOP_SWITCHES, handler::options)
                // any other method on a telemetry path: 405 with Allow, not a 404
                .route(telemetryPaths, handler::methodNotAllowed)
                .build();
    }
}
