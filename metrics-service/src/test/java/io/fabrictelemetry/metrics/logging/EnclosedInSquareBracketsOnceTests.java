package io.fabrictelemetry.metrics.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.logback.EnclosedInSquareBracketsConverter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

class EnclosedInSquareBracketsOnceTests {

    private final LoggerContext context = new LoggerContext();

    private <C extends CompositeConverter<ch.qos.logback.classic.spi.ILoggingEvent>> C started(C converter, String option) {
        converter.setContext(context);
        converter.setOptionList(List.of(option));
        converter.start();
        return converter;
    }

    private LoggingEvent event() {
        return new LoggingEvent("test", context.getLogger("access"), Level.INFO, "line", null, null);
    }

    @Test
    void writesWhatSpringBootsConverterWritesOnEveryLine() {
        context.putProperty("APPLICATION_NAME", "metrics-service");
        for (String option : List.of("APPLICATION_NAME", "APPLICATION_GROUP")) {
            EnclosedInSquareBracketsConverter spring = started(new EnclosedInSquareBracketsConverter(), option);
            EnclosedInSquareBracketsOnce once = started(new EnclosedInSquareBracketsOnce(), option);
            for (int i = 0; i < 3; i++) {
                assertThat(once.convert(event())).as(option).isEqualTo(spring.convert(event()));
            }
        }
        assertThat(started(new EnclosedInSquareBracketsOnce(), "APPLICATION_NAME").convert(event()))
                .isEqualTo("[metrics-service] ");
        assertThat(started(new EnclosedInSquareBracketsOnce(), "APPLICATION_GROUP").convert(event())).isEmpty();
    }
}
