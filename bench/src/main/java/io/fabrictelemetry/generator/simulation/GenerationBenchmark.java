package io.fabrictelemetry.generator.simulation;

import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The generator's work per period, which its simulation thread does once per generation whatever
 * the number of requests: advance every port one period, then render both views ({@code /counters},
 * one row per switch derived from its ports, and {@code /csv/metrics}, one row per port). Issue 22's
 * target: a 200,000-port fabric (5,000 switches of 40 ports) in at most 1 s on the project's 2 cores.
 * The fabric is the generator's default (8 metrics, 400 Gbps, default probabilities) after 60 periods,
 * so that its counters have the digits of a running fabric.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar GenerationBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgs = {"-Xmx2g"})
public class GenerationBenchmark {

    @Param({"5000"})
    int switches;

    @Param({"40"})
    int portsPerSwitch;

    Fabric fabric;
    long timestampMicros = 1_700_000_000_000_000L;
    long portBytes;

    @Setup(Level.Trial)
    public void setUp() {
        FabricProperties config = new FabricProperties(switches, Metric.DEFAULT_NAMES, Duration.ofSeconds(10), 42L,
                400, 0.02, 0.005, 0.05, portsPerSwitch);
        fabric = new Fabric(config, 42L);
        for (int period = 0; period < 60; period++) {
            fabric.advance();
        }
    }

    @TearDown(Level.Trial)
    public void report() {
        if (portBytes == 0) {
            return;
        }
        System.out.printf("%n/csv/metrics: %,d bytes for %,d ports (%.0f bytes a row)%n", portBytes,
                fabric.portCount(), (double) portBytes / fabric.portCount());
    }

    /** A whole generation, as {@code SimulationLoop.tick} runs it: advance, then both views. */
    @Benchmark
    public void generation(Blackhole blackhole) {
        fabric.advance();
        timestampMicros += 10_000_000;
        blackhole.consume(fabric.renderCsv());
        CsvBody ports = fabric.renderPortsCsv(timestampMicros);
        portBytes = ports.length();
        blackhole.consume(ports);
    }

    /** The simulation step alone: every port's draws and counters. */
    @Benchmark
    public void advance() {
        fabric.advance();
    }

    /** {@code /counters} alone: one row per switch, its counters summed over its ports. */
    @Benchmark
    public byte[] renderCounters() {
        return fabric.renderCsv();
    }

    /** {@code /csv/metrics} alone: one row per port. */
    @Benchmark
    public CsvBody renderPorts() {
        CsvBody ports = fabric.renderPortsCsv(timestampMicros);
        portBytes = ports.length();
        return ports;
    }
}
