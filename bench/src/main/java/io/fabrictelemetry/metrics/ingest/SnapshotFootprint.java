package io.fabrictelemetry.metrics.ingest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * The footprint of one published snapshot: heap retained after a full GC, with and without it,
 * and the off-heap ListMetrics body.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.fabrictelemetry.metrics.ingest.SnapshotFootprint 100000}
 */
public final class SnapshotFootprint {

    private static final Logger log = LoggerFactory.getLogger(SnapshotFootprint.class);

    private SnapshotFootprint() {
    }

    public static void main(String[] args) {
        int switches = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        byte[] csv = IngestionBenchmark.csv(switches, 42);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = retainedHeap(memory);
        Snapshot snapshot = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(CsvPayloadParser.parse(csv), Instant.EPOCH, Instant.EPOCH, null);
        long after = retainedHeap(memory);
        log.info("switches={} metrics={} csv={} bytes, snapshot sequence {}", snapshot.switchCount(),
                snapshot.metrics().size(), csv.length, snapshot.sequence()); // keeps the snapshot reachable
        log.info(String.format(Locale.ROOT, "snapshot heap: %.1f MB; ListMetrics body off-heap: %.1f MB", (after - before) / 1e6,
                snapshot.listMetricsBody().remaining() / 1e6));
    }

    private static long retainedHeap(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
