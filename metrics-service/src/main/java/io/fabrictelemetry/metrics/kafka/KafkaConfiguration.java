package io.fabrictelemetry.metrics.kafka;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.fabrictelemetry.metrics.ingest.GeneratorProperties;

/** The Kafka settings, bound and validated at start in every mode (a bad value stops startup). */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean
    KafkaSettings kafkaSettings(Environment environment, GeneratorProperties generator) {
        return KafkaSettings.bind(Binder.get(environment), generator.countersUrl());
    }
}
