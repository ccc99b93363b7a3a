package io.fabrictelemetry.metrics.ingest;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the generator answers: {@code generator.url} ({@code GENERATOR_URL}, e.g.
 * {@code http://generator:9001}) when set, else {@code generator.host} and {@code generator.port}
 * ({@code GENERATOR_HOST}, {@code GENERATOR_PORT}). The URL exists because the host and port
 * variables also set the generator's own bind address: on one machine, {@code GENERATOR_HOST=0.0.0.0}
 * is a bind address, never a target.
 *
 * @param host host name or address the poller connects to, unless {@code url} is set
 * @param port TCP port of the generator's HTTP server, unless {@code url} is set
 * @param url  the source's URL; wins over host and port. A base URL (no path, or a path ending in
 *             {@code /}: {@code http://generator:9001}) has {@code /counters} appended; any other path
 *             is the endpoint itself, e.g. UFM Telemetry's {@code http://ufm-host:9001/csv/metrics}
 */
@ConfigurationProperties("generator")
public record GeneratorProperties(
        @DefaultValue("127.0.0.1") String host,
        @DefaultValue("9001") int port,
        @Nullable URI url) {

    public GeneratorProperties {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("generator.host (GENERATOR_HOST) must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(
                    "generator.port (GENERATOR_PORT) must be between 1 and 65535, but was " + port);
        }
        if (url != null && (url.getScheme() == null || !url.getScheme().matches("(?i)https?")
                || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null)) {
            throw new IllegalArgumentException("generator.url (GENERATOR_URL) must be an http:// or https:// URL"
                    + " with a host and no query, like http://generator:9001 or http://ufm-host:9001/csv/metrics,"
                    + " but was '" + url + "'");
        }
    }

    /** The URL polled: {@code url} (with {@code /counters} appended to a base URL), else host and port. */
    public String countersUrl() {
        if (url != null) {
            String text = url.toString();
            String path = url.getRawPath();
            if (path != null && !path.isEmpty() && !path.endsWith("/")) {
                return text; // the endpoint itself: /csv/metrics, csv/cset/<name>, /counters
            }
            return (text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/counters";
        }
        String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "http://" + literal + ":" + port + "/counters";
    }
}
