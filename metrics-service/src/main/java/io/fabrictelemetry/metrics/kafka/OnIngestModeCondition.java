package io.fabrictelemetry.metrics.kafka;

import java.util.Arrays;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** {@link ConditionalOnIngestMode}'s test. */
class OnIngestModeCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnIngestMode.class.getName());
        if (attributes == null) {
            return false;
        }
        IngestMode configured = KafkaSettings.modeOrNull(Binder.get(context.getEnvironment()));
        return configured != null && Arrays.asList((IngestMode[]) attributes.get("value")).contains(configured);
    }
}
