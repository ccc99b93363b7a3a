package io.fabrictelemetry.metrics.dashboard;

import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** The dashboard's routes: the page at {@code /}, its modules and styles under {@code /dashboard/}. */
@Configuration(proxyBeanMethods = false)
class DashboardRouter {

    static final String PAGE = "/";
    static final String FILES = "/dashboard/{*file}";

    @Bean
    RouterFunction<ServerResponse> dashboardRoutes() {
        DashboardHandler handler = new DashboardHandler(DashboardAssets.load());
        return RouterFunctions.route()
                .GET(PAGE, handler::page)
                .HEAD(PAGE, handler::page)
                .GET(FILES, handler::file)
                .HEAD(FILES, handler::file)
                .route(path(PAGE).or(path("/dashboard/**")), handler::methodNotAllowed)
                .build();
    }
}
