package io.fabrictelemetry.metrics.kafka;

import java.util.Locale;

/** How this replica gets its snapshots ({@code INGEST_MODE}). */
public enum IngestMode {
    /** Polls the source itself; no broker (the default). */
    POLL,
    /**
     * Polls the source, appends every accepted payload to the topic, and serves every accepted payload:
     * under the log's identity once acknowledged, else unlogged under a local ETag.
     */
    PUBLISH,
    /** Never polls: builds every snapshot from the topic. */
    CONSUME;

    /** The lower-case name, as configured. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
