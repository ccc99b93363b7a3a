package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.JacksonListMetrics;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Filtered ListMetrics bodies, written as bytes by the ListMetrics encoder, are byte for byte what
 * a Jackson generator writes ({@link JacksonListMetrics}), over random snapshots (every cell kind,
 * derived rates, carried-over switches, names that need escaping) and random selections.
 */
class SelectionBodyTests {

    private static final List<String> METRICS = List.of("packet_errors", "latency_us", "name \"quoted\"", "é");
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private static String text(ByteBuffer body) {
        return StandardCharsets.UTF_8.decode(body.duplicate()).toString();
    }

    private static Table table(SplittableRandom random, List<String> ids, List<String> damaged) {
        List<String> kept = ids.stream().filter(id -> !damaged.contains(id)).toList();
        long[] cells = new long[kept.size() * METRICS.size()];
        byte[] kinds = new byte[cells.length];
        for (int i = 0; i < cells.length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> kinds[i] = CellKind.NONE;
                case 1 -> {
                    kinds[i] = CellKind.DECIMAL;
                    cells[i] = Double.doubleToRawLongBits(random.nextInt(1_000_000) / 100.0);
                }
                default -> {
                    kinds[i] = CellKind.INTEGER;
                    cells[i] = random.nextInt(1_000_000);
                }
            }
        }
        List<Table.Damaged> damagedRows = damaged.stream().map(id -> new Table.Damaged(id, ids.indexOf(id))).toList();
        return Table.of(METRICS, kept, cells, kinds, damaged.size(), 0, damagedRows);
    }

    /** The rows a query names, sorted (generator order), or null for all. */
    private static int[] rows(Snapshot snapshot, MultiValueMap<String, String> query) {
        List<String> ids = query.get("switch");
        return ids == null ? null : ids.stream().distinct().mapToInt(snapshot::switchRow).sorted().toArray();
    }

    private static int[] columns(Snapshot snapshot, MultiValueMap<String, String> query) {
        List<String> names = query.get("metric");
        return names == null ? null : names.stream().distinct().mapToInt(snapshot::metricColumn).sorted().toArray();
    }

    @Test
    void wholeBodyIsWhatAJsonGeneratorWrites() {
        SnapshotStore first = new SnapshotStore(new StaleProperties(Duration.ofHours(1)), new CounterProperties(List.of()));
        Snapshot one = first.publish(table(new SplittableRandom(5), List.of("a", "b\\c"), List.of()), T0, T0, null);
        assertThat(text(one.listMetricsBody())).isEqualTo(JacksonListMetrics.of(one, null, null));
    }

    @Test
    void selectionBodiesAreWhatAJsonGeneratorWrites() {
        SplittableRandom random = new SplittableRandom(21);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(i % 13 == 5 ? "sw-\"" + i + "\"" : "sw-" + i);
        }
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                new CounterProperties(List.of("packet_errors")));
        int compared = 0;
        for (int round = 0; round < 30; round++) {
            List<String> damaged = round == 0 ? List.of() : List.of(ids.get(random.nextInt(ids.size())),
                    ids.get(random.nextInt(ids.size())));
            Snapshot snapshot = store.publish(table(random, ids, damaged.stream().distinct().toList()),
                    T0.plusSeconds(10L * round), T0.plusSeconds(10L * round + 1), null);
            for (int pick = 0; pick < 40; pick++) {
                MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
                if (random.nextInt(4) > 0) {
                    int count = 1 + random.nextInt(4);
                    for (int i = 0; i < count; i++) {
                        query.add("switch", snapshot.switchId(random.nextInt(snapshot.switchCount())));
                    }
                }
                if (random.nextBoolean()) {
                    query.add("metric", snapshot.metrics().get(random.nextInt(snapshot.metrics().size())));
                }
                ListMetricsFilter.Selection selection = ListMetricsFilter.parse(query).select(snapshot);
                if (selection.isUnfiltered()) {
                    continue;
                }
                assertThat(text(selection.body())).as("%s", query)
                        .isEqualTo(JacksonListMetrics.of(snapshot, rows(snapshot, query), columns(snapshot, query)));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(800);
        assertThat(store.current().carriedOver()).isNotEmpty();
    }

    private static ListMetricsFilter.Selection select(Snapshot snapshot, String switches, String metrics) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        if (switches != null) {
            query.add("switch", switches);
        }
        if (metrics != null) {
            query.add("metric", metrics);
        }
        return ListMetricsFilter.parse(query).select(snapshot);
    }

    @Test
    void etagsNameTheSelectionWhateverItsSizeAndOrder() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)), new CounterProperties(List.of()));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add("sw-" + i);
        }
        Snapshot snapshot = store.publish(table(new SplittableRandom(8), ids, List.of()), T0, T0, null);
        // small selections list their rows and columns; larger ones carry a digest
        String small = select(snapshot, "sw-3,sw-1", null).etag();
        assertThat(small).isEqualTo(select(snapshot, "sw-1,sw-3,sw-1", null).etag()).contains("-r1.3-c*");
        String large = select(snapshot, "sw-0,sw-2,sw-4,sw-6,sw-8,sw-9", "latency_us,packet_errors").etag();
        assertThat(large).contains("-f")
                .isEqualTo(select(snapshot, "sw-9,sw-8,sw-6,sw-4,sw-2,sw-0", "packet_errors,latency_us").etag())
                .isNotEqualTo(select(snapshot, "sw-0,sw-2,sw-4,sw-6,sw-8,sw-7", "latency_us,packet_errors").etag())
                .isNotEqualTo(select(snapshot, "sw-0,sw-2,sw-4,sw-6,sw-8,sw-9", "latency_us").etag());
        assertThat(select(snapshot, "sw-1", "latency_us").etag()).isNotEqualTo(select(snapshot, "sw-1", null).etag())
                .isNotEqualTo(select(snapshot, "sw-2", "latency_us").etag());
        // the same selection on the next snapshot: another ETag
        Snapshot next = store.publish(table(new SplittableRandom(9), ids, List.of()), T0.plusSeconds(10), T0.plusSeconds(10), null);
        assertThat(select(next, "sw-3,sw-1", null).etag()).isNotEqualTo(small);
        assertThat(select(next, "sw-0,sw-2,sw-4,sw-6,sw-8,sw-9", "latency_us,packet_errors").etag()).isNotEqualTo(large);
    }

    /**
     * The size estimate that moves encoding off the event loop ({@code TelemetryHandler}) stays close
     * to the body it stands for, and never far below it: over random snapshots (IDs of every legal
     * length, values from one digit to a long's nineteen, decimals, carried-over switches) and random
     * selections, it lies between three quarters of the body's bytes and three times them (plus its fixed
     * allowance for the envelope). Names of plain characters: an escaped character counts as one.
     */
    @Test
    void estimatedBytesStaysCloseToTheBodysSize() {
        SplittableRandom random = new SplittableRandom(34);
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)), new CounterProperties(List.of()));
        List<String> metrics = List.of("packet_errors", "latency_us", "m", "x".repeat(256));
        for (int round = 0; round < 20; round++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int length = 1 + random.nextInt(random.nextBoolean() ? 12 : 256);
                ids.add((i + "-" + "abcdefghij".repeat(26)).substring(0, Math.max(length, String.valueOf(i).length() + 1)));
            }
            List<String> damaged = round == 0 ? List.of() : List.of(ids.get(random.nextInt(ids.size())));
            List<String> kept = ids.stream().filter(id -> !damaged.contains(id)).toList();
            long[] cells = new long[kept.size() * metrics.size()];
            byte[] kinds = new byte[cells.length];
            for (int i = 0; i < cells.length; i++) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        kinds[i] = CellKind.DECIMAL;
                        cells[i] = Double.doubleToRawLongBits(random.nextInt(10_000_000) / 100.0);
                    }
                    case 1 -> {
                        kinds[i] = CellKind.INTEGER;
                        cells[i] = random.nextLong(1, Long.MAX_VALUE) >>> random.nextInt(63);
                    }
                    default -> kinds[i] = random.nextInt(8) == 0 ? CellKind.NONE : CellKind.INTEGER;
                }
            }
            List<Table.Damaged> damagedRows = damaged.stream().map(id -> new Table.Damaged(id, ids.indexOf(id))).toList();
            Snapshot snapshot = store.publish(Table.of(metrics, kept, cells, kinds, damaged.size(), 0, damagedRows),
                    T0.plusSeconds(10L * round), T0.plusSeconds(10L * round + 1), null);
            for (int pick = 0; pick < 30; pick++) {
                MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
                if (random.nextInt(3) > 0) {
                    int count = 1 + random.nextInt(40);
                    for (int i = 0; i < count; i++) {
                        query.add("switch", snapshot.switchId(random.nextInt(snapshot.switchCount())));
                    }
                }
                if (random.nextInt(3) > 0) {
                    query.add("metric", metrics.get(random.nextInt(metrics.size())));
                }
                ListMetricsFilter.Selection selection = ListMetricsFilter.parse(query).select(snapshot);
                if (selection.isUnfiltered()) {
                    continue;
                }
                long actual = selection.body().remaining();
                long estimated = selection.estimatedBytes();
                assertThat(estimated).as("%s", query).isGreaterThanOrEqualTo(actual * 3 / 4)
                        .isLessThanOrEqualTo(3 * actual + 256);
            }
        }
    }
    @Test
    void estimatedBytesCountsWhatNonAsciiAndControlCharactersAreWrittenAs() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)), new CounterProperties(List.of()));
        // three bytes a character in UTF-8, six as a JSON escape, four a surrogate pair: a body of
        // such names is several times their character count, and must not pass for a small one
        List<String> metrics = List.of("\u4e2d".repeat(200), "m");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String unit = switch (i % 3) {
                case 0 -> "\u4e2d";
                case 1 -> "\u0001";
                default -> "\ud83d\ude00";
            };
            ids.add(i + unit.repeat(120));
        }
        long[] cells = new long[ids.size() * metrics.size()];
        byte[] kinds = new byte[cells.length];
        java.util.Arrays.fill(kinds, CellKind.INTEGER);
        Snapshot snapshot = store.publish(Table.of(metrics, ids, cells, kinds, 0, 0, List.of()), T0, T0.plusSeconds(1), null);
        for (List<String> switches : List.of(ids, ids.subList(0, 3), ids.subList(1, 2), ids.subList(2, 3))) {
            MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
            switches.forEach(id -> query.add("switch", id));
            query.add("metric", metrics.get(0));
            ListMetricsFilter.Selection selection = ListMetricsFilter.parse(query).select(snapshot);
            long actual = selection.body().remaining();
            assertThat(selection.estimatedBytes()).as("%d switches", switches.size())
                    .isGreaterThanOrEqualTo(actual).isLessThanOrEqualTo(3 * actual + 256);
        }
    }
}
