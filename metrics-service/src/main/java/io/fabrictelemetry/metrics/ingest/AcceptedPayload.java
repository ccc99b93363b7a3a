package io.fabrictelemetry.metrics.ingest;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.PortRows;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * A payload the poll loop fetched and parsed without rejecting it, handed to the {@link PayloadSink}.
 *
 * @param body            the bytes exactly as received (never change them)
 * @param sourceEtag      the source's ETag, or {@code null} when it sent none
 * @param sampledAtHeader the source's {@code X-Sampled-At} as sent, or {@code null}
 * @param contentType     the source's {@code Content-Type}, or {@code null} when it sent none
 * @param collectedAt     when the poll received it (to the millisecond)
 * @param table           what it parsed to
 */
public record AcceptedPayload(byte[] body, @Nullable String sourceEtag, @Nullable String sampledAtHeader,
        @Nullable String contentType, Instant collectedAt, Table table) {

    /** The {@code X-Sampled-At} the source sent, when it is readable, else {@code null}. */
    public @Nullable Instant saidSampledAt() {
        return PollLoop.said(sampledAtHeader);
    }

    /** This payload's {@code sampledAt} as poll mode has always taken it ({@link #sampledAt(Instant, Table, Instant)}). */
    public Instant sampledAt() {
        return sampledAt(saidSampledAt(), table, collectedAt);
    }

    /**
     * A payload's {@code sampledAt}: the time the source said ({@code X-Sampled-At}, or a record's
     * {@code sampled-at}), else, for port rows, the newest row {@code timestamp}, else the arrival
     * time. A publisher and its consumers compute it alike from a record's headers and bytes.
     */
    public static Instant sampledAt(@Nullable Instant said, Table table, Instant collectedAt) {
        if (said != null) {
            return said;
        }
        PortRows ports = table.ports();
        if (ports != null) {
            long newest = ports.newestMicros();
            if (newest != PortRows.NO_TIME) {
                return Instant.ofEpochSecond(Math.floorDiv(newest, 1_000_000L), Math.floorMod(newest, 1_000_000L) * 1_000L);
            }
        }
        return collectedAt;
    }
}
