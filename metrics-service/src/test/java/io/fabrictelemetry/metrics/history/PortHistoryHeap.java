package io.fabrictelemetry.metrics.history;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.fabrictelemetry.metrics.ingest.CsvPayloads;
import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * The heap of 15 minutes of port history together with the live snapshots, through the service's
 * own path (not a test: run by hand, see README "Memory budget"): UFM-like port rows rendered as
 * CSV, parsed, published to a {@link SnapshotStore} (aggregates, per-port rates, the ListMetrics
 * body) and recorded in a {@link History} with the given budget, one generation per 10 s period.
 * {@code java -Xmx2g -cp <test classpath> io.fabrictelemetry.metrics.history.PortHistoryHeap 5000 40 91 768}
 */
public final class PortHistoryHeap {

    private PortHistoryHeap() {
    }

    public static void main(String[] args) {
        int switches = Integer.parseInt(args[0]);
        int portsPerSwitch = Integer.parseInt(args[1]);
        int frames = Integer.parseInt(args[2]);
        long budget = Long.parseLong(args[3]) << 20;
        UfmLikePorts fabric = new UfmLikePorts(switches, portsPerSwitch, 42);
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)), CounterProperties.defaults());
        History history = new History(15 * 60_000, budget);
        Instant t0 = Instant.parse("2026-12-07T06:00:00Z");
        long maxUsed = 0;
        for (int s = 0; s < frames; s++) {
            Instant at = t0.plusSeconds(10L * s);
            byte[] csv = render(fabric.next(at.toEpochMilli()), at);
            Snapshot snapshot = store.publish(CsvPayloads.parse(csv, store.current()), at, at, null);
            csv = null;
            history.append(PortColumns.of(snapshot, snapshot.ports()), at.toEpochMilli());
            if (s % 10 == 9 || s == frames - 1) {
                System.gc();
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                maxUsed = Math.max(maxUsed, used);
                System.out.printf("frame %d: history %d frames, %.1f MiB (%.3f bytes/point all counted); heap used after GC"
                        + " %.1f MiB%n", s + 1, history.frames(), history.bytes() / 1048576.0,
                        (double) history.bytes() / history.cells(), used / 1048576.0);
            }
        }
        System.out.printf("max heap used after GC: %.1f MiB of %.1f MiB%n", maxUsed / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    /** A grid as UFM Telemetry's CSV: identity columns, then the metrics; the same µs timestamp on every row. */
    static byte[] render(PortGrid grid, Instant at) {
        StringBuilder csv = new StringBuilder(grid.rows() * 300);
        csv.append("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,")
                .append(String.join(",", grid.metrics())).append('\n');
        long micros = at.toEpochMilli() * 1000;
        for (int row = 0; row < grid.rows(); row++) {
            String guid = grid.switchId(row);
            csv.append(micros).append(",ufm,,").append(guid).append(',').append(guid).append(',')
                    .append(grid.portNumber(row)).append(",leaf-").append(guid, 12, 18);
            for (int column = 0; column < grid.metrics().size(); column++) {
                csv.append(',');
                if (grid.kind(row, column) == Columns.INTEGER) {
                    csv.append(grid.bits(row, column));
                } else if (grid.kind(row, column) == Columns.DECIMAL) {
                    csv.append(Double.toString(Double.longBitsToDouble(grid.bits(row, column))).replace('E', 'e'));
                }
            }
            csv.append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
