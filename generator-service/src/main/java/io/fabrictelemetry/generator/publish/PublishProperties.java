package io.fabrictelemetry.generator.publish;

import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether the generator pushes its generations, and which view: {@code generator.publish}
 * ({@code GENERATOR_PUBLISH}) and {@code generator.publish-view} ({@code GENERATOR_PUBLISH_VIEW}).
 *
 * @param publish     {@code none} (default: nothing connects anywhere) or {@code kafka}
 * @param publishView {@code counters} (default: the bytes of {@code /counters}, one row per switch) or
 *                    {@code ports} (the bytes of {@code /csv/metrics}, one row per port)
 */
@ConfigurationProperties("generator")
public record PublishProperties(
        @DefaultValue(NONE) String publish,
        @DefaultValue(COUNTERS) String publishView) {

    static final String NONE = "none";
    static final String KAFKA = "kafka";
    static final String COUNTERS = "counters";
    static final String PORTS = "ports";

    public PublishProperties {
        String said = publish;
        String saidView = publishView;
        // case and surrounding blanks do not matter, as with the metrics-service's INGEST_MODE
        publish = publish.strip().toLowerCase(Locale.ROOT);
        publishView = publishView.strip().toLowerCase(Locale.ROOT);
        if (!NONE.equals(publish) && !KAFKA.equals(publish)) {
            throw new IllegalArgumentException(
                    "generator.publish (GENERATOR_PUBLISH) must be none or kafka, but was '" + said + "'");
        }
        if (!COUNTERS.equals(publishView) && !PORTS.equals(publishView)) {
            throw new IllegalArgumentException("generator.publish-view (GENERATOR_PUBLISH_VIEW) must be counters"
                    + " (the /counters bytes) or ports (the /csv/metrics bytes), but was '" + saidView + "'");
        }
    }

    boolean kafka() {
        return KAFKA.equals(publish);
    }

    boolean ports() {
        return PORTS.equals(publishView);
    }
}
