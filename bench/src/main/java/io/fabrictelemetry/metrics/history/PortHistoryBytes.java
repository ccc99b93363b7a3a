package io.fabrictelemetry.metrics.history;

import java.time.Duration;
import java.time.Instant;

import io.fabrictelemetry.generator.simulation.SimulatorAccess;
import io.fabrictelemetry.metrics.ingest.ParseAccess;
import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * Bytes a point of port history on the simulator's own port data, through the service's own path:
 * the generator's {@code /csv/metrics} of each period (its {@code Fabric}, default probabilities),
 * parsed by the service's parser against the previous snapshot, published (aggregates, rates), and
 * appended to a {@link History} as the history thread appends it ({@link PortColumns}), one
 * snapshot per 10 s period. A cross-check of the history engineer's own figure, which is measured
 * on synthetic UFM-like ports. Prints, every {@code every} frames and at the end, the frames kept,
 * the points, and bytes a point in frames alone and all counted ({@link History#bytes()}, what
 * {@code HISTORY_MAX_BYTES} limits and {@code fabric_history_bytes} shows).
 *
 * <p>{@code java -Xmx3g -cp bench/target/benchmarks.jar io.fabrictelemetry.metrics.history.PortHistoryBytes 5000 40 91}
 * (switches, ports a switch, frames; then optionally the periods run before the first frame, 60 by default,
 * so that the counters have the digits of a running fabric, and the seed)
 */
public final class PortHistoryBytes {

    private PortHistoryBytes() {
    }

    public static void main(String[] args) {
        int switches = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int portsPerSwitch = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int frames = args.length > 2 ? Integer.parseInt(args[2]) : 91;
        int before = args.length > 3 ? Integer.parseInt(args[3]) : 60;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        long period = 10_000;
        SimulatorAccess simulator = new SimulatorAccess(switches, portsPerSwitch, seed);
        for (int i = 0; i < before; i++) {
            simulator.advance();
        }
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)), CounterProperties.defaults());
        History history = new History(15 * 60_000, Long.MAX_VALUE);
        long start = 1_700_000_000_000L;
        long appendNanos = 0;
        for (int f = 0; f < frames; f++) {
            byte[] csv = simulator.nextPorts();
            Instant at = Instant.ofEpochMilli(start + f * period);
            Snapshot snapshot = store.publish(ParseAccess.parse(csv, store.current()), at, at, null);
            PortView ports = snapshot.ports();
            if (ports == null) {
                throw new IllegalStateException("the simulator's /csv/metrics did not parse as port rows");
            }
            long started = System.nanoTime();
            history.append(PortColumns.of(snapshot, ports), at.toEpochMilli());
            appendNanos += System.nanoTime() - started;
            if (f == 0 || f == frames - 1 || (f + 1) % 10 == 0) {
                System.out.printf("frame %d: %d kept, %,d points, %.3f bytes/point in frames, %.3f all counted,"
                        + " %.1f MiB; %d ports x %d metrics a snapshot (%d metric columns with rates)%n", f + 1,
                        history.frames(), history.cells(), (double) history.frameBytes() / history.cells(),
                        (double) history.bytes() / history.cells(), history.bytes() / 1048576.0, ports.portCount(),
                        snapshot.generatorMetricCount(), snapshot.metrics().size());
            }
        }
        System.out.printf("appends: mean %.0f ms%n", appendNanos / 1e6 / frames);
    }
}
