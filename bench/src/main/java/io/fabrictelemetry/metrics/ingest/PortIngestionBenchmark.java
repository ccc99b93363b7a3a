package io.fabrictelemetry.metrics.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Ingestion of port rows (UFM Telemetry's layout), fetch excluded: the critical path at
 * {@code ports} ports ({@code portsPerSwitch} a switch) and 30 metric columns, with the default
 * {@code METRICS_COUNTERS} (27 of the 30 are counters and get rates). {@link #parseAndPublishNext}
 * is the path of every poll after the first: parse against the previous snapshot (its GUIDs,
 * descriptions and identity arrays reused), aggregate the switches, rate every port against the
 * previous generation (10 s earlier, every counter moved), encode the whole ListMetrics body.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar PortIngestionBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 3, jvmArgs = {"-Xmx2g"})
public class PortIngestionBenchmark {

    /**
     * UFM's high-frequency set (converted_enterprise) in its order, then five more histogram bins to
     * make the 30 counters of the target.
     */
    static final List<String> COUNTERS = List.of("Infiniband_MBOut_u_Gb", "Infiniband_MBIn_u_Gb",
            "Infiniband_PckOut_u_Packets", "Infiniband_PckIn_u_Packets", "Infiniband_SymbolErrors_u_Errors",
            "Infiniband_LinkRecovers_u_Errors", "Infiniband_LinkDowned_u_Errors", "Infiniband_RcvErrors_u_Errors",
            "Infiniband_RcvRemotePhysErrors_u_Errors", "Infiniband_RcvSwRelayErrors_u_Errors",
            "Infiniband_XmtDiscards_u_Errors", "Infiniband_XmtConstraintErrors_u_Errors",
            "Infiniband_RcvConstraintErrors_u_Errors", "Infiniband_LinkIntegrityErrors_u_Errors",
            "Infiniband_ExcBufOverrunErrors_u_Errors", "Infiniband_VL15Dropped_u_Drops", "Infiniband_XmitWait_u_Ticks",
            "hist0_u_count", "hist1_u_count", "hist2_u_count", "hist3_u_count", "hist4_u_count", "hist5_u_count",
            "hist6_u_count", "hist7_u_count", "hist8_u_count", "hist9_u_count", "Infiniband_CBW_f_u_Gbps",
            "Infiniband_Normalized_CBW_f_u_Percent", "Infiniband_Normalized_MBOut_f_u_Percent");

    @Param({"200000"})
    int ports;

    @Param({"40"})
    int portsPerSwitch;

    byte[] first;
    byte[] second;
    SnapshotStore store;

    @Setup(Level.Trial)
    public void setUp() {
        first = csv(ports, portsPerSwitch, 42, 0);
        second = csv(ports, portsPerSwitch, 42, 1);
    }

    /** A store holding the snapshot of the first generation, before each call of {@link #parseAndPublishNext}. */
    @Setup(Level.Invocation)
    public void previousGeneration() {
        store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)), CounterProperties.defaults());
        store.publish(CsvPayloadParser.parse(first, null), Instant.EPOCH, Instant.EPOCH, null);
    }

    /**
     * Generation {@code generation} of a fabric written as UFM Telemetry writes it: µs timestamps
     * 10 s apart, {@code 0x} GUIDs, an empty tag, counters in the millions that grow every
     * generation, errors mostly 0, gauges as exponent decimals.
     */
    static byte[] csv(int ports, int portsPerSwitch, long seed, int generation) {
        SplittableRandom random = new SplittableRandom(seed);
        long micros = 1_709_652_347_161_873L + generation * 10_000_000L;
        StringBuilder out = new StringBuilder(ports * 260);
        out.append("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,");
        out.append(String.join(",", COUNTERS)).append('\n');
        int switches = (ports + portsPerSwitch - 1) / portsPerSwitch;
        int written = 0;
        for (int s = 0; s < switches && written < ports; s++) {
            String guid = String.format("0x%016x", 0x248a070300a1b200L + s);
            String prefix = ",10.0.0.1:9001,," + guid + "," + guid + ",";
            String description = ",leaf-" + s + ",";
            for (int port = 1; port <= portsPerSwitch && written < ports; port++, written++) {
                out.append(micros).append(prefix).append(port).append(description);
                for (int c = 0; c < 27; c++) {
                    long base = c < 4 ? 1_000_000L + random.nextInt(50_000_000) : random.nextInt(50) == 0 ? random.nextInt(4) : 0;
                    long step = c < 4 ? 10_000 + random.nextInt(100_000) : c >= 16 ? random.nextInt(1000) : 0;
                    out.append(base + generation * step).append(',');
                }
                out.append(random.nextInt(400)).append('.').append(random.nextInt(100)).append(',');
                out.append(random.nextInt(1, 10)).append('.').append(random.nextInt(10_000, 99_999)).append("e-7,");
                out.append(random.nextInt(1, 10)).append('.').append(random.nextInt(10_000, 99_999)).append("e-5\n");
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The critical path of every poll after the first. */
    @Benchmark
    public Snapshot parseAndPublishNext() {
        return store.publish(CsvPayloadParser.parse(second, store.current()), Instant.EPOCH.plusSeconds(10),
                Instant.EPOCH.plusSeconds(10), null);
    }

    /** Parsing alone, against the previous snapshot, to see where the time goes. */
    @Benchmark
    public Table parseOnly() {
        return CsvPayloadParser.parse(second, store.current());
    }
}
