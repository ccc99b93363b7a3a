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

    byte[][] payloads;
    SnapshotStore store;
    long polls;

    @Setup(Level.Trial)
    public void setUp() {
        payloads = new byte[][] {IngestionBenchmark.csv(switches, 42), IngestionBenchmark.csv(switches, 43)};
        store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)),
                counters.equals("none") ? CounterProperties.none() : CounterProperties.defaults());
        publish();
    }

    /** The critical path of one accepted poll, with a previous snapshot to compute rates against. */
    @Benchmark
    public Snapshot publish() {
        long poll = polls++;
        Table table = CsvPayloadParser.parse(payloads[(int) (poll & 1)]);
        Instant sampledAt = Instant.ofEpochSecond(poll * 10);
        return store.publish(table, sampledAt, sampledAt, "\"bench-" + poll + "\"");
    }
}
