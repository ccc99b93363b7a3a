package io.fabrictelemetry.metrics.kafka;

import java.time.Clock;
import java.util.Objects;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.history.HistoryRecorder;
import io.fabrictelemetry.metrics.ingest.PayloadStep;

/** {@code INGEST_MODE=consume}: the topic's consumer. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnIngestMode(IngestMode.CONSUME)
class ConsumeModeConfiguration {

    @Bean
    RecordConsumer recordConsumer(KafkaSettings settings, HistoryProperties history, PayloadStep step,
            HistoryRecorder recorder, ConsumerTracker tracker, ConsumerMetrics metrics, Clock clock) {
        // required unless poll: KafkaSettings refused to start without it
        String bootstrap = Objects.requireNonNull(settings.bootstrapServers(), "kafka.bootstrap-servers");
        return new RecordConsumer(bootstrap, settings.topic(), history.retention(), step, recorder, tracker, metrics,
                clock);
    }
}
