package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.body.Decimals;
import io.fabrictelemetry.metrics.body.JsonOut;
import tools.jackson.core.JsonGenerator;

/**
 * {@link Snapshot#writeValue(JsonOut, int, int)} — how every answer writes a value, as bytes — is exactly what
 * {@link JacksonValues#writeValue} writes through the API's JSON generator, for every kind of cell and
 * for derived rates, over random values.
 */
class ValueTextTests {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    /** What the byte writer writes. */
    private static String bytes(Consumer<JsonOut> write) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        JsonOut out = new JsonOut(sink, 64);
        write.accept(out);
        out.flush();
        return sink.toString(StandardCharsets.UTF_8);
    }

    private static String bytes(Snapshot snapshot, int row, int column) {
        return bytes(out -> snapshot.writeValue(out, row, column));
    }

    private static String written(Consumer<JsonGenerator> write) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = Bodies.JSON.createGenerator(out)) {
            write.accept(json);
        }
        return out.toString();
    }

    private static double randomDouble(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextDouble() * 100;                                  // an ordinary gauge
            case 1 -> Math.round(random.nextDouble() * 100_000) / 100.0;          // two decimals
            case 2 -> (random.nextBoolean() ? -1 : 1) * random.nextDouble() * Math.pow(10, random.nextInt(-12, 20));
            case 3 -> Double.longBitsToDouble(random.nextLong()) % 1e300;         // any finite bits
            default -> random.nextInt(1000) / 8.0;                                 // exact binary fractions
        };
    }

    @Test
    void everyCellKindReadsAsTheGeneratorWritesIt() {
        SplittableRandom random = new SplittableRandom(7);
        int switches = 2_000;
        List<String> ids = new ArrayList<>();
        long[] cells = new long[switches * 2];
        byte[] kinds = new byte[switches * 2];
        for (int row = 0; row < switches; row++) {
            ids.add("sw-" + row);
            for (int column = 0; column < 2; column++) {
                int i = row * 2 + column;
                switch (random.nextInt(3)) {
                    case 0 -> {
                        kinds[i] = CellKind.INTEGER;
                        cells[i] = random.nextBoolean() ? random.nextLong() : random.nextInt(100_000);
                    }
                    case 1 -> {
                        double value = randomDouble(random);
                        kinds[i] = Double.isFinite(value) ? CellKind.DECIMAL : CellKind.NONE;
                        cells[i] = Double.doubleToRawLongBits(value);
                    }
                    default -> kinds[i] = CellKind.NONE;
                }
            }
        }
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                new CounterProperties(List.of()));
        Snapshot snapshot = store.publish(Table.of(List.of("a", "b"), ids, cells, kinds, 0, 0), T0, T0, null);
        for (int row = 0; row < switches; row++) {
            for (int column = 0; column < 2; column++) {
                int r = row;
                int c = column;
                assertThat(bytes(snapshot, row, column)).isEqualTo(written(json -> JacksonValues.writeValue(snapshot, json, r, c)));
                if (snapshot.cellKind(row, column) == CellKind.DECIMAL) { // and what Jackson alone writes
                    double value = Double.longBitsToDouble(snapshot.cellBits(row, column));
                    assertThat(bytes(snapshot, row, column)).isEqualTo(written(json -> json.writeNumber(value)));
                }
            }
        }
    }

    @Test
    void ratesReadAsTheGeneratorWritesThem() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            double rate = switch (random.nextInt(4)) {
                case 0 -> Double.NaN;
                case 1 -> random.nextInt(1_000_000) / 1000.0;
                case 2 -> (random.nextBoolean() ? -1 : 1) * random.nextDouble() * 2e13; // either side of 9e12
                default -> randomDouble(random);
            };
            double value = rate;
            assertThat(bytes(out -> CounterRates.write(out, value))).as("%s", rate).isEqualTo(written(json -> JacksonValues.writeRate(json, value, new char[Decimals.MAX_LENGTH])));
        }
    }

    @Test
    void derivedRateColumnsReadAsTheyAreWritten() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                new CounterProperties(List.of("packet_errors")));
        store.publish(CounterRatesTests.table(List.of("packet_errors"), List.of("sw-1", "sw-2", "sw-3"), "10", "7", ""),
                T0, T0, null);
        Snapshot snapshot = store.publish(CounterRatesTests.table(List.of("packet_errors"), List.of("sw-1", "sw-2", "sw-3"),
                "15", "3", "4"), T0.plusSeconds(3), T0.plusSeconds(3), null);
        assertThat(snapshot.metrics()).containsExactly("packet_errors", "packet_errors_per_second");
        for (int row = 0; row < 3; row++) {
            int r = row;
            assertThat(bytes(snapshot, row, 1)).isEqualTo(written(json -> JacksonValues.writeValue(snapshot, json, r, 1)));
        }
        assertThat(bytes(snapshot, 0, 1)).isEqualTo("1.667");
        assertThat(bytes(snapshot, 1, 1)).isEqualTo("1.0");
        assertThat(bytes(snapshot, 2, 1)).isEqualTo("null");
    }
    /**
     * A value kept apart from its snapshot (a point of history: kind, bits, and whether its metric
     * is a rate) is written with the very text the snapshot gives that cell: large, tiny, negative
     * and integral decimals of the generator, and rates, whose large values are written in full.
     */
    @Test
    void valueKeptApartFromItsSnapshotIsWrittenAsTheSnapshotWritesIt() {
        double[] decimals = {1.25e10, -1.25e10, 1.0e-5, -1.0e-5, 3.0, -3.0, 0.0, -0.0, 1.0e7, 9_999_999.999, 0.001,
                123_456_789.125, 1.7e308, 4.9e-324, 2.5, -2.5, 12_500_000_000.5};
        long[] increases = {12_500_000_000L, 1, 3, 0, 9_000_000_000_000_000L, 25_000_000_000_000L, 12_500_000_000_001L};
        SplittableRandom random = new SplittableRandom(5);
        int switches = decimals.length + increases.length + 500;
        List<String> ids = new ArrayList<>();
        long[] before = new long[switches * 2];
        long[] after = new long[switches * 2];
        byte[] kinds = new byte[switches * 2];
        for (int row = 0; row < switches; row++) {
            ids.add("sw-" + row);
            double decimal = row < decimals.length ? decimals[row] : randomDouble(random);
            kinds[row * 2] = Double.isFinite(decimal) ? CellKind.DECIMAL : CellKind.NONE;
            before[row * 2] = after[row * 2] = Double.doubleToRawLongBits(decimal);
            kinds[row * 2 + 1] = CellKind.INTEGER;
            int k = row - decimals.length;
            after[row * 2 + 1] = k >= 0 && k < increases.length ? increases[k] : random.nextLong(0, Long.MAX_VALUE);
        }
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                new CounterProperties(List.of("packet_errors")));
        List<String> metrics = List.of("latency_us", "packet_errors");
        store.publish(Table.of(metrics, ids, before, kinds, 0, 0), T0, T0, null);
        Snapshot snapshot = store.publish(Table.of(metrics, ids, after, kinds, 0, 0), T0.plusSeconds(1),
                T0.plusSeconds(1), null);
        assertThat(snapshot.metrics()).containsExactly("latency_us", "packet_errors", "packet_errors_per_second");
        assertThat(snapshot.isRate(1)).isFalse();
        assertThat(snapshot.isRate(2)).isTrue();
        for (int row = 0; row < switches; row++) {
            for (int column = 0; column < 3; column++) {
                int r = row;
                int c = column;
                assertThat(bytes(out -> Snapshot.writeValue(out, snapshot.cellKind(r, c), snapshot.cellBits(r, c),
                        snapshot.isRate(c)))).as("row %d column %d", row, column).isEqualTo(bytes(snapshot, row, column));
            }
        }
        // the cases the issue names, as GetMetric writes them
        int rate = snapshot.metricColumn("packet_errors_per_second");
        assertThat(bytes(snapshot, decimals.length, rate)).isEqualTo("12500000000.0");
        assertThat(bytes(snapshot, 0, 0)).isEqualTo("1.25E10");
        assertThat(bytes(snapshot, 2, 0)).isEqualTo("1.0E-5");
        assertThat(bytes(snapshot, 5, 0)).isEqualTo("-3.0");
        // a generator column that only looks like a rate keeps every digit
        assertThat(bytes(out -> Snapshot.writeValue(out, CellKind.DECIMAL, Double.doubleToRawLongBits(1.23456), true)))
                .isEqualTo("1.23456");
    }
}
