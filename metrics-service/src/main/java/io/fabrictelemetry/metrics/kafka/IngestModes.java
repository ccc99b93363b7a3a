package io.fabrictelemetry.metrics.kafka;

import java.util.Locale;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which components an {@code INGEST_MODE} runs, decided before any bean is made: the poll loop in
 * {@code poll} and {@code publish} mode only, the topic's consumer in {@code consume} mode only. The
 * value itself is validated by the settings record; these conditions only read it.
 */
public final class IngestModes {

    private IngestModes() {
    }

    /** {@code ingest.mode} ({@code INGEST_MODE}) in lower case, {@code poll} when unset. */
    static String mode(Environment environment) {
        return Binder.get(environment).bind("ingest.mode", String.class).orElse(IngestMode.POLL.value()).trim()
                .toLowerCase(Locale.ROOT);
    }

    /** True in {@code consume} mode. */
    public static boolean consumes(Environment environment) {
        return IngestMode.CONSUME.value().equals(mode(environment));
    }

    /** Matches unless {@code INGEST_MODE=consume}: the service polls its source. */
    public static final class Polls extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String mode = mode(context.getEnvironment());
            return consumes(context.getEnvironment())
                    ? ConditionOutcome.noMatch("ingest.mode is consume: snapshots come from Kafka, nothing polls")
                    : ConditionOutcome.match("ingest.mode is " + mode);
        }
    }

    /** Matches when {@code INGEST_MODE=consume}: snapshots are built from the topic, never polled. */
    public static final class Consumes extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String mode = mode(context.getEnvironment());
            return consumes(context.getEnvironment())
                    ? ConditionOutcome.match("ingest.mode is consume")
                    : ConditionOutcome.noMatch("ingest.mode is " + mode + ": nothing consumes the topic");
        }
    }
}
