package io.fabrictelemetry.metrics.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.fabrictelemetry.generator.simulation.SimulatorAccess;
import io.fabrictelemetry.metrics.ingest.ParseAccess;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * History on the simulator's own data: 15 minutes of the generator's default fabric (91 snapshots,
 * one per 10 s period), parsed by the service's parser.
 *
 * <ul>
 * <li>{@code append}: one snapshot into a history already holding 15 minutes, so each append also
 * evicts the oldest snapshot and re-encodes the next one as a key frame (the steady state);</li>
 * <li>{@code copyRawCells}: the baseline for it, copying the snapshot's cells as they are (9 bytes a
 * cell) without any encoding;</li>
 * <li>{@code query15Minutes}: one series over the full 15 minutes (90 points);</li>
 * <li>{@code readRawCells}: the baseline for it, the same 90 cells read from the uncompressed tables.</li>
 * </ul>
 * Bytes per point are printed once per trial. {@code java -jar bench/target/benchmarks.jar HistoryBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class HistoryBenchmark {

    static final long PERIOD = 10_000;
    static final int SNAPSHOTS = 91;
    static final long RETENTION = 15 * 60_000;

    @Param({"1000", "10000", "100000"})
    int switches;

    List<Table> tables;
    History full;
    History rolling;
    long nextSequence;
    int nextTable;
    int nextQuery;
    List<Map<String, Integer>> rawIndex;
    String[] queryIds;

    /** A parsed table as the cells of one snapshot at a given time. */
    record TableColumns(Table table, long sequence, long sampledAtMillis) implements Columns {

        @Override
        public List<String> metrics() {
            return table.metrics();
        }

        @Override
        public int rows() {
            return table.switchCount();
        }

        @Override
        public String switchId(int row) {
            return table.switchId(row);
        }

        @Override
        public byte kind(int row, int column) {
            return table.kind(row, column);
        }

        @Override
        public long bits(int row, int column) {
            return table.cell(row, column);
        }

        @Override
        public boolean carriedOver(int row) {
            return false;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SimulatorAccess simulator = new SimulatorAccess(switches, 42);
        tables = new ArrayList<>(SNAPSHOTS);
        for (int i = 0; i < SNAPSHOTS; i++) {
            tables.add(ParseAccess.parse(simulator.next()));
        }
        full = new History(RETENTION, Long.MAX_VALUE);
        rolling = new History(RETENTION, Long.MAX_VALUE);
        for (int i = 0; i < SNAPSHOTS; i++) {
            full.append(new TableColumns(tables.get(i), i + 1, i * PERIOD), i * PERIOD);
            rolling.append(new TableColumns(tables.get(i), i + 1, i * PERIOD), i * PERIOD);
        }
        nextSequence = SNAPSHOTS + 1;
        nextTable = 0;
        rawIndex = new ArrayList<>();
        for (Table table : tables) {
            Map<String, Integer> index = new HashMap<>();
            for (int row = 0; row < table.switchCount(); row++) {
                index.put(table.switchId(row), row);
            }
            rawIndex.add(index);
        }
        queryIds = new String[1024];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < queryIds.length; i++) {
            queryIds[i] = tables.get(0).switchId(random.nextInt(switches));
        }
        System.out.printf("%nhistory of %d switches x 8 metrics, %d snapshots (%d kept): %.3f bytes/point in frames, "
                + "%.3f bytes/point all counted (layout, encoder state), %.1f MiB in all%n", switches, SNAPSHOTS,
                full.frames(), (double) full.frameBytes() / full.cells(), (double) full.bytes() / full.cells(),
                full.bytes() / 1048576.0);
    }

    /** The steady state: append one snapshot, evict the oldest, re-key the next. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int append() {
        long sequence = nextSequence++;
        long at = (sequence - 1) * PERIOD;
        rolling.append(new TableColumns(tables.get(nextTable), sequence, at), at);
        nextTable = (nextTable + 1) % SNAPSHOTS;
        return rolling.frames();
    }

    /** Baseline for append: the snapshot's cells copied as they are, 9 bytes a cell. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void copyRawCells(Blackhole blackhole) {
        Table table = tables.get(nextTable);
        nextTable = (nextTable + 1) % SNAPSHOTS;
        int width = table.metrics().size();
        long[] cells = new long[table.switchCount() * width];
        byte[] kinds = new byte[cells.length];
        for (int row = 0, i = 0; row < table.switchCount(); row++) {
            for (int column = 0; column < width; column++, i++) {
                cells[i] = table.cell(row, column);
                kinds[i] = table.kind(row, column);
            }
        }
        blackhole.consume(cells);
        blackhole.consume(kinds);
    }

    /** One series over the whole 15 minutes: 90 points. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<Point> query15Minutes() {
        String id = queryIds[nextQuery++ & 1023];
        return full.query(id, "latency_us", Long.MIN_VALUE, (SNAPSHOTS - 1) * PERIOD);
    }

    /** Baseline for the query: the same cells read from the uncompressed tables. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void readRawCells(Blackhole blackhole) {
        String id = queryIds[nextQuery++ & 1023];
        for (int i = 1; i < SNAPSHOTS; i++) {
            int row = rawIndex.get(i).get(id);
            blackhole.consume(tables.get(i).cell(row, 2));
            blackhole.consume(tables.get(i).kind(row, 2));
        }
    }
}
