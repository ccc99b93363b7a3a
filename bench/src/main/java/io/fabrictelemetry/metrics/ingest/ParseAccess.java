package io.fabrictelemetry.metrics.ingest;

import io.fabrictelemetry.metrics.snapshot.Table;

/** The service's CSV parser, for benchmarks outside its package. */
public final class ParseAccess {

    private ParseAccess() {
    }

    public static Table parse(byte[] csv) {
        return CsvPayloadParser.parse(csv);
    }
}
