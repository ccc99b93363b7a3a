package io.fabrictelemetry.metrics.server;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on client connections: {@code metrics.server.*}, or {@code METRICS_SERVER_IDLE_TIMEOUT}
 * and {@code METRICS_SERVER_REQUEST_TIMEOUT}.
 *
 * @param idleTimeout    a connection with no request in progress that decodes no new request (it sends
 *                       nothing, or trickles a request head) and takes none of its last response for this
 *                       long is closed ({@link IdleDeadline}): it is what cuts idle and trickling clients
 * @param requestTimeout a connection whose request has not fully arrived this long after its head was
 *                       decoded (a body still trickling in) is closed ({@link RequestDeadline})
 */
@ConfigurationProperties("metrics.server")
record ConnectionLimits(
        @DefaultValue("60s") Duration idleTimeout,
        @DefaultValue("2s") Duration requestTimeout) {

    ConnectionLimits {
        if (idleTimeout == null || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "metrics.server.idle-timeout (METRICS_SERVER_IDLE_TIMEOUT) must be at least 1ms, but was " + idleTimeout);
        }
        if (requestTimeout == null || requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("metrics.server.request-timeout (METRICS_SERVER_REQUEST_TIMEOUT) "
                    + "must be at least 1ms, but was " + requestTimeout);
        }
    }
}
