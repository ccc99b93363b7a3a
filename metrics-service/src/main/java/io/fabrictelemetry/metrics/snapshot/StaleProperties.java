package io.fabrictelemetry.metrics.snapshot;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When served data counts as stale: {@code stale.after}, or {@code STALE_AFTER}.
 *
 * @param after how long without a successful poll before the ingestion health turns DOWN, and how
 *              old a carried-over switch's values may be before they are served as {@code null}
 */
@ConfigurationProperties("stale")
public record StaleProperties(@DefaultValue("30s") Duration after) {

    public StaleProperties {
        if (after == null || after.toMillis() < 1) {
            throw new IllegalArgumentException("stale.after (STALE_AFTER) must be at least 1ms, but was " + after);
        }
    }
}
