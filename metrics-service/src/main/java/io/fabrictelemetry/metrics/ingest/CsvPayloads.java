package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * The payload parser as other packages may call it (their tests build snapshots of either layout
 * from CSV text through {@code SnapshotStore.publish}, as the poll loop does): a pure function.
 */
public final class CsvPayloads {

    private CsvPayloads() {
    }

    /** The table of a payload of switch rows or port rows; {@link PayloadRejectedException} when refused. */
    public static Table parse(byte[] body, @Nullable Snapshot previous) {
        return CsvPayloadParser.parse(body, previous);
    }
}
