package io.fabrictelemetry.generator.publish;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code source.name} ({@code SOURCE_NAME}): the key of every record the generator publishes, the
 * source's name in the metrics-services that read them.
 *
 * @param name unset: {@code <host>:<port>/counters} (or {@code /csv/metrics} with
 *             {@code GENERATOR_PUBLISH_VIEW=ports}) of this generator's own server
 */
@ConfigurationProperties("source")
public record SourceProperties(@Nullable String name) {

    public SourceProperties {
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("source.name (SOURCE_NAME) must not be blank when set");
        }
    }
}
