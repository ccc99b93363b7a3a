package io.fabrictelemetry.generator.api;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

@Configuration(proxyBeanMethods = false)
class CountersRouter {

    @Bean
    RouterFunction<ServerResponse> countersRoutes(CountersHandler handler) {
        return RouterFunctions.route(GET("/counters"), handler::counters)
                .andRoute(GET("/csv/metrics"), handler::portMetrics);
    }
}
