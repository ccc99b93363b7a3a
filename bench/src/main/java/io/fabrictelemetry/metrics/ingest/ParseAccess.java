package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.Table;

/** The service's CSV parser, for benchmarks outside its package. */
public final class ParseAccess {

    private ParseAccess() {
    }

    public static Table parse(byte[] csv) {
        return CsvPayloadParser.parse(csv);
    }

    /** Parses against the previous snapshot, as every poll after the first does (its IDs reused). */
    public static Table parse(byte[] csv, @Nullable Snapshot previous) {
        return CsvPayloadParser.parse(csv, previous);
    }
}
