package io.fabrictelemetry.generator.publish;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fabrictelemetry.generator.simulation.GenerationStore;
import io.micrometer.core.instrument.MeterRegistry;

/** The Kafka publisher exists only with {@code GENERATOR_PUBLISH=kafka}: by default nothing connects anywhere. */
@Configuration(proxyBeanMethods = false)
class PublishConfiguration {

    @Bean
    @ConditionalOnProperty(name = "generator.publish", havingValue = PublishProperties.KAFKA)
    GenerationPublisher generationPublisher(PublishProperties publish, KafkaProperties kafka, SourceProperties source,
            @Value("${server.address:127.0.0.1}") String serverAddress, @Value("${server.port:9001}") int serverPort,
            GenerationStore store, Clock clock, MeterRegistry registry) {
        PushSettings settings = PushSettings.resolve(publish, kafka, source, serverAddress, serverPort);
        return new GenerationPublisher(settings, store.generations(), clock, registry);
    }
}
