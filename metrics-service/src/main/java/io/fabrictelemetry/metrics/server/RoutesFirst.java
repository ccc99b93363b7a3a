package io.fabrictelemetry.metrics.server;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;

/**
 * Puts the functional routes (every telemetry path) first among the handler mappings. Spring
 * Boot orders Actuator's endpoint mapping ahead of them, so that every API request was first
 * matched against each Actuator endpoint's request conditions — per-request work (allocating
 * condition objects included) that a JFR profile of a GetMetric flood showed, and that answers
 * nothing. The routes match only their own paths, so Actuator, and the 404 of an unknown path,
 * are reached exactly as before.
 */
@Component
class RoutesFirst implements BeanPostProcessor, Ordered {

    /** Ahead of Actuator's endpoint mapping (-100) and Spring's request mappings (0). */
    static final int ORDER = -200;

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RouterFunctionMapping mapping) {
            mapping.setOrder(ORDER);
        }
        return bean;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
