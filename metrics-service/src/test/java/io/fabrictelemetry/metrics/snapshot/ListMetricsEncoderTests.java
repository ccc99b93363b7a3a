package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The ListMetrics body, written as bytes, is exactly what a Jackson generator writes for the same
 * snapshot ({@link JacksonListMetrics}): every cell kind and any double, derived rates, carried-over
 * switches, names that need escaping, across consecutive snapshots.
 */
class ListMetricsEncoderTests {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final List<String> METRICS = List.of("bandwidth_gbps", "packet_errors", "latency_us", "tab\there", "温度");

    private static double anyDouble(SplittableRandom random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(10_000_000) / 100.0;
            case 1 -> random.nextInt(1_000_000) / 1000.0 - 500;
            case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(-8, 12));
            default -> {
                double value = Double.longBitsToDouble(random.nextLong());
                yield Double.isFinite(value) ? value : 1.5;
            }
        };
    }

    private static Table table(SplittableRandom random, List<String> ids, List<String> damaged) {
        List<String> kept = ids.stream().filter(id -> !damaged.contains(id)).toList();
        long[] cells = new long[kept.size() * METRICS.size()];
        byte[] kinds = new byte[cells.length];
        for (int i = 0; i < cells.length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> kinds[i] = CellKind.NONE;
                case 1, 2 -> {
                    kinds[i] = CellKind.DECIMAL;
                    cells[i] = Double.doubleToRawLongBits(anyDouble(random));
                }
                default -> {
                    kinds[i] = CellKind.INTEGER;
                    cells[i] = random.nextInt(10) == 0 ? random.nextLong() : random.nextInt(1_000_000);
                }
            }
        }
        List<Table.Damaged> rows = damaged.stream().map(id -> new Table.Damaged(id, ids.indexOf(id))).toList();
        return Table.of(METRICS, kept, cells, kinds, damaged.size(), 0, rows);
    }

    @Test
    void bodiesAreWhatAJsonGeneratorWrites() {
        SplittableRandom random = new SplittableRandom(99);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ids.add(switch (i % 500) {
                case 7 -> "sw \"" + i + "\"";
                case 8 -> "sw\\" + i;
                case 9 -> "交换机-" + i;
                default -> String.format("sw-%05d", i);
            });
        }
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                new CounterProperties(List.of("packet_errors", "latency_us")));
        for (int round = 0; round < 6; round++) {
            List<String> damaged = round < 2 ? List.of() : List.of(ids.get(random.nextInt(ids.size())));
            Snapshot snapshot = store.publish(table(random, ids, damaged), T0.plusSeconds(7L * round),
                    T0.plusSeconds(7L * round + 1), null);
            String encoded = StandardCharsets.UTF_8.decode(snapshot.listMetricsBody()).toString();
            assertThat(encoded).isEqualTo(JacksonListMetrics.of(snapshot, null, null));
        }
        assertThat(store.current().metrics()).contains("packet_errors_per_second", "latency_us_per_second");
        assertThat(store.current().carriedOver()).isNotEmpty();
    }

    @Test
    void bodiesWhoseCountersMostlyStandStillAreWhatAJsonGeneratorWrites() {
        // most rates 0.0 (written for a whole switch at once), some not, some without a value
        List<String> metrics = List.of("packet_errors", "latency_us", "dropped_packets", "link_down_count");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ids.add(String.format("sw-%05d", i));
        }
        SplittableRandom random = new SplittableRandom(5);
        long[] cells = new long[ids.size() * metrics.size()];
        byte[] kinds = new byte[cells.length];
        java.util.Arrays.fill(kinds, CellKind.INTEGER);
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                new CounterProperties(List.of("link_down_count", "packet_errors", "dropped_packets")));
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < cells.length; i++) {
                switch (random.nextInt(40)) {
                    case 0 -> kinds[i] = CellKind.NONE;
                    case 1 -> {
                        kinds[i] = CellKind.INTEGER;
                        cells[i] += random.nextInt(1_000);
                    }
                    case 2 -> {
                        kinds[i] = CellKind.DECIMAL;
                        cells[i] = Double.doubleToRawLongBits(anyDouble(random));
                    }
                    case 3 -> {
                        kinds[i] = CellKind.INTEGER;
                        cells[i] = 0; // a reset
                    }
                    default -> { } // unchanged
                }
            }
            Snapshot snapshot = store.publish(Table.of(metrics, ids, cells, kinds, 0, 0), T0.plusSeconds(3L * round),
                    T0.plusSeconds(3L * round), null);
            String encoded = StandardCharsets.UTF_8.decode(snapshot.listMetricsBody()).toString();
            assertThat(encoded).isEqualTo(JacksonListMetrics.of(snapshot, null, null));
            if (round > 0) {
                assertThat(encoded).contains("\"link_down_count_per_second\":0.0,\"packet_errors_per_second\":0.0,"
                        + "\"dropped_packets_per_second\":0.0}");
            }
        }
    }

    /**
     * The rates' share of a body is known before it is encoded, to the byte (the next buffer is
     * sized by it): each rate's name and value as written, in every kind of row: all {@code 0.0},
     * all without a value, moving, reset, beyond whole thousandths, negative, carried over.
     */
    @Test
    void ratesBytesAreTheBytesTheRatesTakeInTheBody() {
        SplittableRandom random = new SplittableRandom(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(String.format("sw-%05d", i));
        }
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                new CounterProperties(List.of("packet_errors", "latency_us")));
        Table table = null;
        for (int round = 0; round < 6; round++) {
            List<String> damaged = round < 3 ? List.of() : List.of(ids.get(random.nextInt(ids.size())));
            if (round != 2 && round != 4) { // rounds 2 and 4 repeat the values before them: rates 0.0 or none
                table = table(random, ids, damaged);
            }
            Snapshot snapshot = store.publish(table, T0.plusSeconds(7L * round), T0.plusSeconds(7L * round + 1), null);
            String encoded = StandardCharsets.UTF_8.decode(snapshot.listMetricsBody()).toString();
            long written = 0;
            for (String rate : List.of("packet_errors_per_second", "latency_us_per_second")) {
                Matcher value = Pattern.compile(",\"" + rate + "\":(null|[-+.0-9Ee]+)").matcher(encoded);
                while (value.find()) {
                    written += value.group().length();
                }
            }
            assertThat(ListMetricsEncoder.ratesBytes(snapshot)).as("round %d", round).isEqualTo(written);
            assertThat(snapshot.listMetricsGeneratorBytes()).isEqualTo(encoded.getBytes(StandardCharsets.UTF_8).length - written);
        }
    }
}
