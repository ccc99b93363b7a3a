package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.RepetitionInfo;

class HistoryTests {

    static final long SECOND = 1000;
    static final long HOUR = 3600 * SECOND;
    static final List<String> METRICS = List.of("a", "b", "c");

    static String[] switches(int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = "sw-" + (n - i); // not in sorted order, so lookups cannot rely on row order
        }
        return ids;
    }

    /** A random cell of any kind the parser can produce, often close to the previous one, sometimes not. */
    static void randomCell(SplittableRandom random, Grid grid, int row, int column, Grid previous) {
        int roll = random.nextInt(100);
        byte prevKind = previous == null ? Columns.NULL : previous.kind(row, column);
        long prevBits = previous == null ? 0 : previous.bits(row, column);
        if (roll < 10) {
            grid.set(row, column, Columns.NULL, 0);
        } else if (roll < 45 && prevKind == Columns.INTEGER) {
            grid.integer(row, column, prevBits + random.nextInt(-3, 50)); // a counter's small step
        } else if (roll < 70 && prevKind == Columns.DECIMAL) {
            int scale = random.nextInt(4);
            double step = random.nextInt(-500, 500) / Math.pow(10, scale);
            grid.decimal(row, column, Math.round((Double.longBitsToDouble(prevBits) + step) * 1000) / 1000.0);
        } else {
            switch (random.nextInt(12)) {
                case 0 -> grid.integer(row, column, Long.MAX_VALUE);
                case 1 -> grid.integer(row, column, Long.MIN_VALUE);
                case 2 -> grid.integer(row, column, 0); // a counter reset
                case 3 -> grid.integer(row, column, random.nextLong());
                case 4 -> grid.decimal(row, column, -0.0);
                case 5 -> grid.decimal(row, column, random.nextDouble() * 1e300); // no exact scale: raw bits
                case 6 -> grid.decimal(row, column, Double.MIN_VALUE);
                case 7 -> grid.decimal(row, column, random.nextLong(-1_000_000_000L, 1_000_000_000L) / 1e6);
                case 8 -> grid.decimal(row, column, 42.0); // a decimal that looks whole stays a decimal
                case 9 -> grid.decimal(row, column, random.nextInt(100_000) / 100.0);
                case 10 -> grid.integer(row, column, random.nextInt(-1000, 1000));
                default -> grid.decimal(row, column, Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL));
            }
        }
    }

    static List<Grid> randomSnapshots(long seed, int count, int switches) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Grid> grids = new ArrayList<>();
        Grid previous = null;
        for (int s = 0; s < count; s++) {
            Grid grid = Grid.of(s + 1, s * 10 * SECOND, METRICS, switches(switches));
            for (int row = 0; row < switches; row++) {
                for (int column = 0; column < METRICS.size(); column++) {
                    randomCell(random, grid, row, column, previous);
                }
            }
            grids.add(grid);
            previous = grid;
        }
        return grids;
    }

    static void assertSeries(History history, List<Grid> kept, String switchId, int row, int column, long now) {
        List<Point> points = history.query(switchId, METRICS.get(column), Long.MIN_VALUE, now);
        assertThat(points).as("points of %s/%s", switchId, METRICS.get(column)).hasSize(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            Grid grid = kept.get(i);
            Point point = points.get(i);
            assertThat(point.sampledAtMillis()).isEqualTo(grid.sampledAtMillis());
            assertThat(point.sequence()).isEqualTo(grid.sequence());
            assertThat(point.kind()).as("kind of %s/%s in snapshot %d", switchId, column, grid.sequence())
                    .isEqualTo(grid.kind(row, column));
            assertThat(point.bits()).as("bits of %s/%s in snapshot %d", switchId, column, grid.sequence())
                    .isEqualTo(grid.bits(row, column));
        }
    }

    @RepeatedTest(20)
    void queryReturnsEveryCellKindExactlyWhenColumnsAreRandom(RepetitionInfo repetition) {
        List<Grid> grids = randomSnapshots(repetition.getCurrentRepetition(), 40, 300);
        History history = new History(HOUR, Long.MAX_VALUE);
        for (Grid grid : grids) {
            history.append(grid, grid.sampledAtMillis());
        }
        long now = grids.get(grids.size() - 1).sampledAtMillis();
        for (int row = 0; row < 300; row += 7) {
            for (int column = 0; column < METRICS.size(); column++) {
                assertSeries(history, grids, "sw-" + (300 - row), row, column, now);
            }
        }
        assertThat(history.frames()).isEqualTo(40);
    }

    @RepeatedTest(10)
    void evictionKeepsEveryRemainingCellExactWhenTheBudgetIsSmall(RepetitionInfo repetition) {
        List<Grid> grids = randomSnapshots(1000 + repetition.getCurrentRepetition(), 60, 200);
        // room for a few frames only: every append evicts and re-keys the oldest kept frame
        History probe = new History(HOUR, Long.MAX_VALUE);
        probe.append(grids.get(0), 0);
        long budget = probe.bytes() + 8 * (probe.frameBytes());
        History history = new History(HOUR, budget);
        for (Grid grid : grids) {
            history.append(grid, grid.sampledAtMillis());
            assertThat(history.bytes()).isLessThanOrEqualTo(budget);
        }
        int kept = history.frames();
        assertThat(kept).isBetween(2, 59);
        List<Grid> suffix = grids.subList(grids.size() - kept, grids.size());
        long now = grids.get(grids.size() - 1).sampledAtMillis();
        for (int row = 0; row < 200; row += 3) {
            for (int column = 0; column < METRICS.size(); column++) {
                assertSeries(history, suffix, "sw-" + (200 - row), row, column, now);
            }
        }
    }

    @Test
    void appendEvictsSnapshotsOlderThanTheRetention() {
        History history = new History(60 * SECOND, Long.MAX_VALUE);
        for (int s = 0; s < 20; s++) {
            history.append(Grid.of(s + 1, s * 10 * SECOND, METRICS, switches(2)).integer(0, 0, s), s * 10 * SECOND);
        }
        // now = 190 s: 130 s and later are within 60 s
        List<Point> points = history.query("sw-2", "a", Long.MIN_VALUE, 190 * SECOND);
        assertThat(points).extracting(Point::bits).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L);
        assertThat(history.frames()).isEqualTo(7);
    }

    @Test
    void queryLeavesOutPointsOlderThanTheRetentionEvenBeforeTheNextAppend() {
        History history = new History(60 * SECOND, Long.MAX_VALUE);
        history.append(Grid.of(1, 0, METRICS, switches(1)).integer(0, 0, 1), 0);
        history.append(Grid.of(2, 50 * SECOND, METRICS, switches(1)).integer(0, 0, 2), 50 * SECOND);
        assertThat(history.query("sw-1", "a", Long.MIN_VALUE, 100 * SECOND)).extracting(Point::bits).containsExactly(2L);
    }

    @Test
    void queryStartsAtTheGivenTime() {
        History history = new History(HOUR, Long.MAX_VALUE);
        for (int s = 0; s < 5; s++) {
            history.append(Grid.of(s + 1, s * SECOND, METRICS, switches(1)).integer(0, 1, s * 100), s * SECOND);
        }
        assertThat(history.query("sw-1", "b", 3 * SECOND, 5 * SECOND)).extracting(Point::bits)
                .containsExactly(300L, 400L);
    }

    @Test
    void aCarriedOverRowIsNotANewPoint() {
        History history = new History(HOUR, Long.MAX_VALUE);
        history.append(Grid.of(1, 0, METRICS, switches(2)).integer(0, 0, 7).integer(1, 0, 70), 0);
        history.append(Grid.of(2, SECOND, METRICS, switches(2)).integer(0, 0, 7).integer(1, 0, 71).carry(0), SECOND);
        history.append(Grid.of(3, 2 * SECOND, METRICS, switches(2)).integer(0, 0, 8).integer(1, 0, 72), 2 * SECOND);

        assertThat(history.query("sw-2", "a", Long.MIN_VALUE, 2 * SECOND)).extracting(Point::sequence)
                .containsExactly(1L, 3L);
        assertThat(history.query("sw-1", "a", Long.MIN_VALUE, 2 * SECOND)).extracting(Point::bits)
                .containsExactly(70L, 71L, 72L);
    }

    @Test
    void theSameGenerationServedAgainAddsNothing() {
        History history = new History(HOUR, Long.MAX_VALUE);
        history.append(Grid.of(1, 5 * SECOND, METRICS, switches(1)).integer(0, 0, 1), 5 * SECOND);
        history.append(Grid.of(2, 5 * SECOND, METRICS, switches(1)).integer(0, 0, 1), 6 * SECOND);
        assertThat(history.query("sw-1", "a", Long.MIN_VALUE, 6 * SECOND)).hasSize(1);
    }

    @Test
    void aSeriesContinuesWhenTheSwitchSetChanges() {
        History history = new History(HOUR, Long.MAX_VALUE);
        history.append(Grid.of(1, 0, METRICS, new String[] {"x", "y"}).integer(0, 0, 1).integer(1, 0, 10), 0);
        history.append(Grid.of(2, SECOND, METRICS, new String[] {"y"}).integer(0, 0, 11), SECOND);
        history.append(Grid.of(3, 2 * SECOND, METRICS, new String[] {"z", "y", "x"})
                .integer(0, 0, 100).integer(1, 0, 12).integer(2, 0, 3), 2 * SECOND);

        assertThat(history.query("y", "a", Long.MIN_VALUE, 2 * SECOND)).extracting(Point::bits)
                .containsExactly(10L, 11L, 12L);
        assertThat(history.query("x", "a", Long.MIN_VALUE, 2 * SECOND)).extracting(Point::sequence)
                .containsExactly(1L, 3L);
        assertThat(history.hasSwitch("z")).isTrue();
        assertThat(history.hasSwitch("w")).isFalse();
        assertThat(history.hasMetric("c")).isTrue();
        assertThat(history.hasMetric("d")).isFalse();
    }

    @Test
    void aBudgetTooSmallForOneSnapshotKeepsNothing() {
        History history = new History(HOUR, 100);
        history.append(Grid.of(1, 0, METRICS, switches(50)).integer(0, 0, 1), 0);
        assertThat(history.frames()).isZero();
        assertThat(history.bytes()).isZero();
        assertThat(history.query("sw-50", "a", Long.MIN_VALUE, 0)).isEmpty();
    }

    @Test
    void zeroRetentionOrBudgetTurnsHistoryOff() {
        for (History history : List.of(new History(0, 1 << 20), new History(HOUR, 0))) {
            history.append(Grid.of(1, 0, METRICS, switches(1)).integer(0, 0, 1), 0);
            assertThat(history.enabled()).isFalse();
            assertThat(history.frames()).isZero();
        }
    }

    @Test
    void storesSimulatorLikeDataInLessThanTwoBytesPerPoint() {
        // gauges with fixed decimals on mean-reverting walks and slowly growing counters, as the generator's
        SplittableRandom random = new SplittableRandom(7);
        int switches = 1000;
        List<String> metrics = List.of("bandwidth_gbps", "utilization_pct", "latency_us", "packet_errors",
                "dropped_packets", "link_state", "link_down_count", "temperature_c");
        double[] load = new double[switches];
        long[] errors = new long[switches];
        long[] drops = new long[switches];
        double[] temperature = new double[switches];
        for (int i = 0; i < switches; i++) {
            load[i] = 0.15 + 0.7 * random.nextDouble();
            temperature[i] = 30 + 45 * load[i];
        }
        History history = new History(HOUR, Long.MAX_VALUE);
        String[] ids = switches(switches);
        for (int s = 0; s < 90; s++) {
            Grid grid = Grid.of(s + 1, s * 10 * SECOND, metrics, ids);
            for (int i = 0; i < switches; i++) {
                load[i] = Math.max(0, Math.min(1, load[i] + 0.05 * (random.nextDouble() * 2 - 1) * 1.7));
                errors[i] += random.nextInt(3) + (random.nextInt(100) == 0 ? 100 + random.nextInt(5000) : 0);
                drops[i] += (long) (random.nextDouble() * load[i] * load[i] * 50);
                temperature[i] += 0.2 * (30 + 45 * load[i] - temperature[i]) + 0.3 * (random.nextDouble() * 2 - 1);
                grid.decimal(i, 0, Math.round(load[i] * 400 * 100) / 100.0)
                        .decimal(i, 1, Math.round(load[i] * 100 * 100) / 100.0)
                        .decimal(i, 2, Math.round((1 + 2 * load[i] * load[i]) * (1 + 0.05 * random.nextDouble()) * 1000) / 1000.0)
                        .integer(i, 3, errors[i]).integer(i, 4, drops[i]).integer(i, 5, 1).integer(i, 6, 0)
                        .decimal(i, 7, Math.round(temperature[i] * 10) / 10.0);
            }
            history.append(grid, s * 10 * SECOND);
        }
        double bytesPerPoint = (double) history.frameBytes() / history.cells();
        System.out.printf("simulator-like switch rows: %.3f bytes/point in frames, %.3f all counted%n", bytesPerPoint,
                (double) history.bytes() / history.cells());
        assertThat(bytesPerPoint).isLessThan(2.0);
    }
}
