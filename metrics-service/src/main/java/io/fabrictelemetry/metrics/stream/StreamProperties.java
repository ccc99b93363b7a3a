package io.fabrictelemetry.metrics.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The snapshot stream ({@code GET /telemetry/stream}): {@code stream.*} in
 * config/metrics-service.yml, or {@code STREAM_KEEPALIVE}, {@code STREAM_MAX_CLIENTS},
 * {@code STREAM_WRITE_TIMEOUT}.
 *
 * @param keepalive    a comment line is sent after this long without an event, so that proxies keep
 *                     an idle stream open
 * @param maxClients   streams open at once; one more is answered {@code 503} with {@code Retry-After}
 * @param writeTimeout a client that has not taken what was written for this long (its connection
 *                     stays unwritable) is disconnected
 */
@ConfigurationProperties("stream")
record StreamProperties(
        @DefaultValue("15s") Duration keepalive,
        @DefaultValue("256") int maxClients,
        @DefaultValue("30s") Duration writeTimeout) {

    StreamProperties {
        if (keepalive == null || keepalive.toMillis() < 1) {
            throw new IllegalArgumentException("stream.keepalive (STREAM_KEEPALIVE) must be at least 1ms, but was "
                    + keepalive);
        }
        if (maxClients < 0) {
            throw new IllegalArgumentException("stream.max-clients (STREAM_MAX_CLIENTS) must be 0 or more, but was "
                    + maxClients);
        }
        if (writeTimeout == null || writeTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "stream.write-timeout (STREAM_WRITE_TIMEOUT) must be at least 1ms, but was " + writeTimeout);
        }
    }
}
