package io.fabrictelemetry.metrics.kafka;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * A bean that exists only when {@code INGEST_MODE} is one of {@link #value()}, read as
 * {@link KafkaSettings} reads it (case-insensitive). An invalid mode matches nothing here, and the
 * {@link KafkaSettings} bean then stops startup with the error.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnIngestModeCondition.class)
public @interface ConditionalOnIngestMode {

    IngestMode[] value();
}
