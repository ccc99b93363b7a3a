package io.fabrictelemetry.metrics.ingest;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * The ingestion critical path of port rows against today's switch-row path, measured in rounds on
 * one JVM: each round publishes, in rotating order, the next generation of a 1,000-switch and of a
 * 100,000-switch fabric (switch rows, {@link RatesBenchmark}'s growing payloads, default counters:
 * the path of Performance VI) and one generation of {@code ports} port rows ({@link
 * PortIngestionBenchmark}'s payload and steps: a fresh store holding generation 0, then generation
 * 1 parsed and published). Per round it keeps the wall time and the CPU time of the whole process
 * over the publish (the ingest thread, the common-pool thread that encodes half of a large port body,
 * the collector's threads; on a shared machine the steadier of the two: waiting for a core is not
 * counted), and the per-cell ratio of ports to 100,000 switches. A cell is a value of the snapshot:
 * rows × (metric columns + rate columns), switch aggregates included for port rows. A full GC runs
 * before each timed publish, outside the timing, as in {@link RatesCost}.
 *
 * <p>{@code java -Xmx2g -cp bench/target/benchmarks.jar io.fabrictelemetry.metrics.ingest.PortIngestionCost 200000 10}
 */
public final class PortIngestionCost {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final StaleProperties STALE = new StaleProperties(Duration.ofSeconds(30));

    private PortIngestionCost() {
    }

    public static void main(String[] args) {
        int ports = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : Math.max(3, rounds / 3);
        byte[][] small = RatesBenchmark.payloads(1_000, "growing");
        byte[][] large = RatesBenchmark.payloads(100_000, "growing");
        byte[] first = PortIngestionBenchmark.csv(ports, 40, 42, 0);
        byte[] second = PortIngestionBenchmark.csv(ports, 40, 42, 1);
        SnapshotStore smallStore = new SnapshotStore(STALE, CounterProperties.defaults());
        SnapshotStore largeStore = new SnapshotStore(STALE, CounterProperties.defaults());
        // [path][round] = {wall ms, cpu ms}
        double[][][] times = new double[3][rounds][];
        long[] cells = new long[3];
        double[] perCellRatios = new double[rounds];
        double[] perCellCpuRatios = new double[rounds];
        String[] names = {"1,000 switches", "100,000 switches", ports + " ports"};
        System.out.printf("load at start %s%n", load());
        for (int round = -warmup; round < rounds; round++) {
            int poll = round + warmup;
            double[][] r = new double[3][];
            for (int k = 0; k < 3; k++) {
                int path = Math.floorMod(poll + k, 3);
                Instant at = Instant.ofEpochSecond(10L * poll);
                switch (path) {
                    case 0 -> r[0] = time(smallStore, small[poll % small.length], at, cells, 0);
                    case 1 -> r[1] = time(largeStore, large[poll % large.length], at, cells, 1);
                    default -> {
                        SnapshotStore store = new SnapshotStore(STALE, CounterProperties.defaults());
                        store.publish(CsvPayloadParser.parse(first, null), Instant.EPOCH, Instant.EPOCH, null);
                        r[2] = time(store, second, Instant.EPOCH.plusSeconds(10), cells, 2);
                    }
                }
            }
            if (round >= 0) {
                for (int p = 0; p < 3; p++) {
                    times[p][round] = r[p];
                }
                perCellRatios[round] = (r[2][0] / cells[2]) / (r[1][0] / cells[1]);
                perCellCpuRatios[round] = (r[2][1] / cells[2]) / (r[1][1] / cells[1]);
            }
            System.out.printf("round %d: %.1f / %.1f / %.1f ms wall, %.1f / %.1f / %.1f ms cpu, load %s%n", round,
                    r[0][0], r[1][0], r[2][0], r[0][1], r[1][1], r[2][1], load());
        }
        System.out.printf("%d paired rounds after %d warm-up rounds; load at end %s%n", rounds, warmup, load());
        for (int p = 0; p < 3; p++) {
            double[] wall = column(times[p], 0);
            double[] cpu = column(times[p], 1);
            System.out.printf("%-18s %,11d cells: wall median %8.1f ms (quartiles %.1f .. %.1f), cpu median %8.1f ms"
                    + " (quartiles %.1f .. %.1f); per cell %.1f ns wall, %.1f ns cpu%n", names[p], cells[p],
                    wall[rounds / 2], wall[rounds / 4], wall[3 * rounds / 4], cpu[rounds / 2], cpu[rounds / 4],
                    cpu[3 * rounds / 4], wall[rounds / 2] * 1e6 / cells[p], cpu[rounds / 2] * 1e6 / cells[p]);
        }
        Arrays.sort(perCellRatios);
        Arrays.sort(perCellCpuRatios);
        System.out.printf("per cell, ports / 100,000 switches, per-round ratio: wall median %.2f (quartiles %.2f .. %.2f),"
                + " cpu median %.2f (quartiles %.2f .. %.2f)%n", perCellRatios[rounds / 2], perCellRatios[rounds / 4],
                perCellRatios[3 * rounds / 4], perCellCpuRatios[rounds / 2], perCellCpuRatios[rounds / 4],
                perCellCpuRatios[3 * rounds / 4]);
    }

    private static double[] time(SnapshotStore store, byte[] payload, Instant sampledAt, long[] cells, int path) {
        System.gc();
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        Table table = CsvPayloadParser.parse(payload, store.current());
        Snapshot snapshot = store.publish(table, sampledAt, sampledAt, "\"bench\"");
        double wall = (System.nanoTime() - start) / 1e6;
        double used = (OS.getProcessCpuTime() - cpu) / 1e6;
        long rows = snapshot.switchCount() + (snapshot.ports() == null ? 0 : snapshot.ports().portCount());
        cells[path] = rows * snapshot.metrics().size();
        return new double[] {wall, used};
    }

    private static double[] column(double[][] rows, int c) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][c];
        }
        Arrays.sort(out);
        return out;
    }

    private static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
