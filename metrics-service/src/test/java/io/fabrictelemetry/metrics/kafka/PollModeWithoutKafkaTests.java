package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.ingest.PayloadSink;

/** The default mode needs no broker: no Kafka client, producer or health component exists. */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
class PollModeWithoutKafkaTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void pollModeHasNoPublisherProbeKafkaHealthOrKafkaClientBean() {
        assertThat(context.getBean(KafkaSettings.class).mode()).isEqualTo(IngestMode.POLL);
        assertThat(context.getBeanNamesForType(PayloadSink.class)).isEmpty();
        assertThat(context.getBeanNamesForType(KafkaPublisher.class)).isEmpty();
        assertThat(context.getBeanNamesForType(KafkaProbe.class)).isEmpty();
        assertThat(context.containsBean("kafka")).isFalse();
        assertThat(Arrays.stream(context.getBeanDefinitionNames()).map(context::getType)
                .filter(type -> type != null && type.getName().startsWith("org.apache.kafka")))
                .isEmpty();
    }
}
