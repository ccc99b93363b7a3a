package io.fabrictelemetry.metrics.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much history is kept: {@code history.*} in config/metrics-service.yml, or the environment
 * variables {@code HISTORY_RETENTION} and {@code HISTORY_MAX_BYTES}. The oldest snapshots go first
 * when either limit is reached; {@code 0} for either turns history off.
 *
 * @param retention how long a snapshot is kept, by its sampledAt
 * @param maxBytes  memory budget for everything history holds (Spring's MB are MiB: 64MB = 64 MiB)
 */
@ConfigurationProperties("history")
public record HistoryProperties(
        @DefaultValue("15m") Duration retention,
        @DefaultValue("64MB") DataSize maxBytes) {

    public HistoryProperties {
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException(
                    "history.retention (HISTORY_RETENTION) must be 0 (off) or positive, but was " + retention);
        }
        if (maxBytes == null || maxBytes.isNegative()) {
            throw new IllegalArgumentException(
                    "history.max-bytes (HISTORY_MAX_BYTES) must be 0 (off) or positive, but was " + maxBytes);
        }
    }

    public boolean enabled() {
        return !retention.isZero() && maxBytes.toBytes() > 0;
    }
}
