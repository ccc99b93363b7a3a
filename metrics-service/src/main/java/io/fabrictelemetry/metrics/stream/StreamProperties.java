package io.fabrictelemetry.metrics.stream;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The snapshot stream ({@code GET /telemetry/stream}): {@code stream.*} in
 * config/metrics-service.yml, or {@code STREAM_KEEPALIVE}, {@code STREAM_MAX_CLIENTS},
 * {@code STREAM_WRITE_TIMEOUT}, {@code STREAM_MAX_PENDING_BYTES}.
 *
 * @param keepalive    a comment line is sent after this long without an event, so that proxies keep
 *                     an idle stream open
 * @param maxClients   streams open at once; one more is answered {@code 503} with {@code Retry-After}
 * @param writeTimeout a client that has not taken what was written for this long (its connection
 *                     stays unwritable) is disconnected
 * @param maxPendingBytes what all clients together may hold of older snapshots' event data their
 *                     connections have not taken yet (each distinct body counted once); beyond it the
 *                     clients holding the oldest are disconnected. The newest snapshot's data is not
 *                     counted: the service keeps it anyway. Spring's MB are MiB. The default, 64MB,
 *                     never binds before the write timeout at 10,000 switches (a ListMetrics body of
 *                     1.7 MB, about 2.8 MB with counter rates if it scales as at 100,000: fifteen of them, 30 s of 2 s polls,
 *                     are at most 41 MB) and holds a 100,000-switch fabric (17.5 MB, 27.5 MB with
 *                     counter rates) to two older bodies instead of up to fifteen (over 400 MB).
 *                     Below one body, a client still writing the previous snapshot when a new one
 *                     is published is cut.
 */
@ConfigurationProperties("stream")
record StreamProperties(
        @DefaultValue("15s") Duration keepalive,
        @DefaultValue("256") int maxClients,
        @DefaultValue("30s") Duration writeTimeout,
        @DefaultValue("64MB") DataSize maxPendingBytes) {

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
        if (maxPendingBytes == null || maxPendingBytes.isNegative()) {
            throw new IllegalArgumentException(
                    "stream.max-pending-bytes (STREAM_MAX_PENDING_BYTES) must be 0 or more, but was " + maxPendingBytes);
        }
    }
}
