package io.fabrictelemetry.metrics.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Bodies;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

class FabricExporterTests {

    private static long d(double value) {
        return Double.doubleToRawLongBits(value);
    }

    private static final byte I = CellKind.INTEGER;
    private static final byte D = CellKind.DECIMAL;
    private static final byte N = CellKind.NONE;

    /** Two switches, every default column plus one the service does not know; sw-0002 is down. */
    static Snapshot knownSnapshot() {
        List<String> metrics = List.of("bandwidth_gbps", "utilization_pct", "latency_us", "packet_errors",
                "dropped_packets", "link_state", "link_down_count", "temperature_c", "fan-speed rpm");
        Table table = Table.of(metrics, List.of("sw-0001", "sw-0002"),
                new long[] {d(312.5), d(78.13), d(1.5), 17, 4, 1, 0, d(55.5), 9000,
                        d(0), d(0), 0, 20, 6, 0, 1, d(31.0), 0},
                new byte[] {D, D, D, I, I, I, I, D, I,
                        D, D, N, I, I, I, I, D, N},
                0, 0);
        return new SnapshotStore().publish(table, Instant.EPOCH, Instant.EPOCH, null);
    }

    private static String export(Snapshot snapshot) {
        return new String(new FabricExporter().encode(snapshot).toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void exportsEverySeriesInBaseUnitsWithHelpAndType() {
        String text = export(knownSnapshot());

        assertThat(text).contains(
                "# HELP fabric_bandwidth_bytes_per_second Bandwidth in use, from CSV column bandwidth_gbps (Gb/s)\n"
                        + "# TYPE fabric_bandwidth_bytes_per_second gauge\n"
                        + "fabric_bandwidth_bytes_per_second{switch=\"sw-0001\"} 3.90625E10\n"
                        + "fabric_bandwidth_bytes_per_second{switch=\"sw-0002\"} 0.0\n");
        assertThat(text).contains("# TYPE fabric_utilization_ratio gauge\n"
                + "fabric_utilization_ratio{switch=\"sw-0001\"} 0.7813\n");
        assertThat(text).contains("# TYPE fabric_latency_seconds gauge\n"
                + "fabric_latency_seconds{switch=\"sw-0001\"} 1.5E-6\n");
        assertThat(text).contains("# TYPE fabric_packet_errors_total counter\n"
                + "fabric_packet_errors_total{switch=\"sw-0001\"} 17.0\n"
                + "fabric_packet_errors_total{switch=\"sw-0002\"} 20.0\n");
        assertThat(text).contains("# TYPE fabric_dropped_packets_total counter\n");
        assertThat(text).contains("fabric_link_state{switch=\"sw-0002\"} 0.0\n");
        assertThat(text).contains("# TYPE fabric_link_down_total counter\n"
                + "fabric_link_down_total{switch=\"sw-0001\"} 0.0\n"
                + "fabric_link_down_total{switch=\"sw-0002\"} 1.0\n");
        assertThat(text).contains("# TYPE fabric_temperature_celsius gauge\n"
                + "fabric_temperature_celsius{switch=\"sw-0001\"} 55.5\n");
    }

    @Test
    void noReadingIsLeftOutNeverExportedAsZero() {
        String text = export(knownSnapshot());
        assertThat(text).doesNotContain("fabric_latency_seconds{switch=\"sw-0002\"}");
        assertThat(text).contains("fabric_latency_seconds{switch=\"sw-0001\"}");
    }

    @Test
    void unknownColumnBecomesASanitisedGauge() {
        String text = export(knownSnapshot());
        assertThat(text).contains("# TYPE fabric_fan_speed_rpm gauge\n"
                + "fabric_fan_speed_rpm{switch=\"sw-0001\"} 9000.0\n");
        assertThat(text).contains("# HELP fabric_fan_speed_rpm Value of CSV column fan-speed rpm");
        assertThat(text).doesNotContain("fabric_fan_speed_rpm{switch=\"sw-0002\"}");
    }

    @Test
    void eachSnapshotIsEncodedOnceAndSharedByScrapes() {
        Snapshot snapshot = knownSnapshot();
        java.util.concurrent.atomic.AtomicInteger encodings = new java.util.concurrent.atomic.AtomicInteger();
        FabricExporter exporter = new FabricExporter() {
            @Override
            Bodies.Sink encode(Snapshot s) {
                encodings.incrementAndGet();
                return super.encode(s);
            }
        };
        String first = text(exporter.export(snapshot).block());
        String second = text(exporter.export(snapshot).block());
        assertThat(second).isEqualTo(first).contains("fabric_link_state");
        assertThat(encodings).hasValue(1);
        exporter.export(knownSnapshot()).block();
        assertThat(encodings).hasValue(2);
    }

    private static String text(java.nio.ByteBuffer body) {
        return new String(Bodies.toArray(body), StandardCharsets.UTF_8);
    }
}
