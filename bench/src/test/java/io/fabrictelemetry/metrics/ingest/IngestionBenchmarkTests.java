package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.Table;

class IngestionBenchmarkTests {

    @Test
    void benchmarkPayloadIsTheSameValidCsvInACommaDecimalLocale() {
        Locale before = Locale.getDefault();
        byte[] root;
        byte[] german;
        try {
            Locale.setDefault(Locale.ROOT);
            root = IngestionBenchmark.csv(500, 42);
            Locale.setDefault(Locale.GERMANY);
            german = IngestionBenchmark.csv(500, 42);
        } finally {
            Locale.setDefault(before);
        }
        assertThat(new String(german, StandardCharsets.UTF_8)).isEqualTo(new String(root, StandardCharsets.UTF_8));
        Table table = CsvPayloadParser.parse(german);
        assertThat(table.switchCount()).isEqualTo(500);
        assertThat(table.rejectedRows()).isZero();
        assertThat(table.rejectedValues()).isZero();
    }
}
