package io.fabrictelemetry.metrics.ingest;

import java.time.Duration;
import java.time.Instant;
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

import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * What the counter rates add to the ingestion critical path: parse, build the snapshot (indexes,
 * rates, encoded ListMetrics body) and publish it, in steady state (each payload replaces the one
 * before, so every rate has a previous value), with the default counters and with none.
 * Two payloads alternate, with different counter values, as consecutive generations would.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar RatesBenchmark -p switches=100000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class RatesBenchmark {

    @Param({"1000", "100000"})
    int switches;

    @Param({"default", "none"})
    String counters;

    /**
     * {@code growing}: consecutive generations as the simulator makes them, counters growing in
     * occasional bursts (most rates 0); {@code random}: independent payloads, every rate a large
     * number and half of them resets (the costliest case to compute and encode).
     */
    @Param({"growing", "random"})
    String payload;

    byte[][] payloads;
    SnapshotStore store;
    long polls;

    @Setup(Level.Trial)
    public void setUp() {
        payloads = payloads(switches, payload);
        store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)),
                counters.equals("none") ? CounterProperties.none() : CounterProperties.defaults());
        publish();
    }

    static byte[][] payloads(int switches, String kind) {
        if (kind.equals("random")) {
            return new byte[][] {IngestionBenchmark.csv(switches, 42), IngestionBenchmark.csv(switches, 43)};
        }
        byte[][] generations = new byte[GENERATIONS][];
        for (int g = 0; g < GENERATIONS; g++) {
            generations[g] = growing(switches, g);
        }
        return generations;
    }

    /** A cycle of this many generations: one publish in this many wraps around (a reset, as a restart). */
    static final int GENERATIONS = 16;

    /**
     * Generation {@code g} of a fabric whose counters grow as the simulator's do: a fixed base per
     * switch, plus, per generation, a burst of errors for one switch in 20 and a few drops for one in 4.
     */
    static byte[] growing(int switches, int generation) {
        StringBuilder out = new StringBuilder(switches * 80);
        out.append("switch_id,bandwidth_gbps,utilization_pct,latency_us,packet_errors,dropped_packets,")
                .append("link_state,link_down_count,temperature_c\r\n");
        java.util.SplittableRandom gauges = new java.util.SplittableRandom(1000L + generation);
        for (int i = 1; i <= switches; i++) {
            long errors = i * 37L;
            long dropped = i * 11L;
            for (int g = 1; g <= generation; g++) {
                long h = (i * 2654435761L + g * 40503L) & 0xffff;
                errors += h % 20 == 0 ? h % 500 : 0;
                dropped += h % 4 == 0 ? h % 7 : 0;
            }
            double load = gauges.nextDouble();
            out.append(String.format(java.util.Locale.ROOT, "sw-%06d,%.2f,%.2f,%.3f,%d,%d,1,%d,%.1f\r\n", i, load * 400,
                    load * 100, 0.6 + gauges.nextDouble() * 3, errors, dropped, i % 3, 30 + load * 45));
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The critical path of one accepted poll, with a previous snapshot to compute rates against. */
    @Benchmark
    public Snapshot publish() {
        long poll = polls++;
        Table table = CsvPayloadParser.parse(payloads[(int) (poll % payloads.length)], store.current());
        Instant sampledAt = Instant.ofEpochSecond(poll * 10);
        return store.publish(table, sampledAt, sampledAt, "\"bench-" + poll + "\"");
    }
}
