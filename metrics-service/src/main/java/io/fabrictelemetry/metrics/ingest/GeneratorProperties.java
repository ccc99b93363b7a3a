package io.fabrictelemetry.metrics.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the generator answers: {@code generator.*}, or {@code GENERATOR_HOST} and {@code GENERATOR_PORT}.
 *
 * @param host host name or address the poller connects to
 * @param port TCP port of the generator's HTTP server
 */
@ConfigurationProperties("generator")
public record GeneratorProperties(
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("9001") int port) {

    public GeneratorProperties {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("generator.host (GENERATOR_HOST) must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(
                    "generator.port (GENERATOR_PORT) must be between 1 and 65535, but was " + port);
        }
    }

    String countersUrl() {
        String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + literal + ":" + port + "/counters";
    }
}
