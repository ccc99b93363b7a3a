package io.fabrictelemetry.metrics.ingest;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the generator is polled: {@code poll.*} in config/metrics-service.yml, or the environment
 * variables {@code POLL_INTERVAL}, {@code POLL_TIMEOUT}, {@code POLL_MAX_BYTES}.
 *
 * @param interval time between the starts of two polls
 * @param timeout  limit on a whole poll: connect, headers and the entire body; shorter than the interval
 * @param maxBytes largest body accepted, enforced while reading
 */
@ConfigurationProperties("poll")
public record PollProperties(
        @DefaultValue("2s") Duration interval,
        @DefaultValue("1500ms") Duration timeout,
        @DefaultValue("64MB") DataSize maxBytes) {

    private static final DataSize MAX_BODY = DataSize.ofMegabytes(1024);

    public PollProperties {
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "poll.interval (POLL_INTERVAL) must be at least 1ms, but was " + interval);
        }
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "poll.timeout (POLL_TIMEOUT) must be at least 1ms, but was " + timeout);
        }
        if (timeout.compareTo(interval) >= 0) {
            throw new IllegalArgumentException("poll.timeout (POLL_TIMEOUT) must be shorter than poll.interval "
                    + "(POLL_INTERVAL), but timeout was " + timeout + " and interval " + interval);
        }
        if (maxBytes == null || maxBytes.toBytes() < 1 || maxBytes.compareTo(MAX_BODY) > 0) {
            throw new IllegalArgumentException(
                    "poll.max-bytes (POLL_MAX_BYTES) must be between 1B and 1024MB, but was " + maxBytes);
        }
    }
}
