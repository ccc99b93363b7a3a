package io.fabrictelemetry.metrics.logging;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.logging.logback.EnclosedInSquareBracketsConverter;

import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Spring Boot's {@code %esb} (a value such as the application name, in square brackets and followed
 * by a space, or nothing when it is not set) with its answer kept: Spring Boot's converter looks the
 * value up and formats it with {@code String.formatted} on every line, which a profile of a GetMetric
 * flood showed as about a quarter of the access log's samples. The value it reads comes from the
 * logging context's properties ({@code APPLICATION_NAME}, {@code APPLICATION_GROUP}), which Spring
 * Boot sets when it configures logging; a reconfiguration builds new converters, so a kept answer
 * never outlives the properties it was made from. The answer is kept per input: the text of the
 * converter's own sub-pattern, empty in the access log's pattern.
 */
public class EnclosedInSquareBracketsOnce extends EnclosedInSquareBracketsConverter {

    private volatile @Nullable Answer last;

    @Override
    protected String transform(ILoggingEvent event, String in) {
        Answer known = last;
        if (known != null && known.in().equals(in)) {
            return known.out();
        }
        String out = super.transform(event, in);
        last = new Answer(in, out);
        return out;
    }

    private record Answer(String in, String out) {
    }
}
