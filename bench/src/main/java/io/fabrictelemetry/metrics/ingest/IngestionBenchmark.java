package io.fabrictelemetry.metrics.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
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

import io.fabrictelemetry.metrics.body.Gzip;
import io.fabrictelemetry.metrics.export.ExportAccess;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Ingestion cost, fetch excluded: the critical path (parse the CSV, build the snapshot with its
 * indexes, encode the ListMetrics body) and, measured apart because they run off that path, gzip
 * of the ListMetrics body and the Prometheus export. 8 metrics, in the generator's formats.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar IngestionBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 3, jvmArgs = {"-Xmx2g"})
public class IngestionBenchmark {

    @Param({"1000", "10000", "100000"})
    int switches;

    byte[] csv;
    Snapshot snapshot;
    SnapshotStore steady;

    @Setup(Level.Trial)
    public void setUp() {
        csv = csv(switches, 42);
        snapshot = parseAndBuild();
        steady = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        steady.publish(CsvPayloadParser.parse(csv), Instant.EPOCH, Instant.EPOCH, "\"bench\"");
    }

    /**
     * A payload shaped like the generator's: 2- and 3-decimal gauges, integer counters, a few blanks;
     * decimals with a {@code .} whatever the default locale, as the CSV contract says.
     */
    static byte[] csv(int switches, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(switches * 80);
        out.append("switch_id,bandwidth_gbps,utilization_pct,latency_us,packet_errors,dropped_packets,")
                .append("link_state,link_down_count,temperature_c\r\n");
        for (int i = 1; i <= switches; i++) {
            boolean down = random.nextInt(200) == 0;
            double load = random.nextDouble();
            out.append(String.format(Locale.ROOT, "sw-%06d", i)).append(',')
                    .append(down ? "0.00" : String.format(Locale.ROOT, "%.2f", load * 400)).append(',')
                    .append(down ? "0.00" : String.format(Locale.ROOT, "%.2f", load * 100)).append(',')
                    .append(down ? "" : String.format(Locale.ROOT, "%.3f", 0.6 + random.nextDouble() * 3)).append(',')
                    .append(random.nextInt(1_000_000)).append(',')
                    .append(random.nextInt(100_000)).append(',')
                    .append(down ? 0 : 1).append(',')
                    .append(random.nextInt(10)).append(',')
                    .append(String.format(Locale.ROOT, "%.1f", 30 + load * 45)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The critical path: parse, build the snapshot (indexes + encoded ListMetrics body), publish. */
    @Benchmark
    public Snapshot parseAndBuild() {
        Table table = CsvPayloadParser.parse(csv);
        return new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(table, Instant.EPOCH, Instant.EPOCH, "\"bench\"");
    }

    /**
     * The critical path as it runs every poll after the first (as {@code PollLoop} does it): the
     * store already holds a snapshot, so the parser reuses its switch IDs, the carry-over merge runs
     * and the encoder sizes its buffer from the previous body.
     */
    @Benchmark
    public Snapshot parseAndPublishNext() {
        return steady.publish(CsvPayloadParser.parse(csv, steady.current()), Instant.EPOCH, Instant.EPOCH, "\"bench\"");
    }

    /** Parsing alone, to see where the critical path's time goes. */
    @Benchmark
    public Table parseOnly() {
        return CsvPayloadParser.parse(csv);
    }

    /** Off the critical path: once per snapshot, on the first gzip request. */
    @Benchmark
    public byte[] gzipListMetrics() {
        return Gzip.compress(snapshot.listMetricsJson());
    }

    /** Off the critical path: once per snapshot, on the first scrape of /telemetry/prometheus. */
    @Benchmark
    public java.nio.ByteBuffer prometheusExport() {
        return ExportAccess.encode(snapshot);
    }
}
