package io.fabrictelemetry.metrics.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
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
        return new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(knownTable(), Instant.EPOCH, Instant.EPOCH, null);
    }

    static Table knownTable() {
        List<String> metrics = List.of("bandwidth_gbps", "utilization_pct", "latency_us", "packet_errors",
                "dropped_packets", "link_state", "link_down_count", "temperature_c", "fan-speed rpm");
        Table table = Table.of(metrics, List.of("sw-0001", "sw-0002"),
                new long[] {d(312.5), d(78.13), d(1.5), 17, 4, 1, 0, d(55.5), 9000,
                        d(0), d(0), 0, 20, 6, 0, 1, d(31.0), 0},
                new byte[] {D, D, D, I, I, I, I, D, I,
                        D, D, N, I, I, I, I, D, N},
                0, 0);
        return table;
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

    /** Switch rows: the whole export, byte for byte as it was before port rows were exported (issue 22). */
    static final String KNOWN_SNAPSHOT_EXPORT =
                "# HELP fabric_bandwidth_bytes_per_second Bandwidth in use, from CSV column bandwidth_gbps (Gb/s)\n"
                + "# TYPE fabric_bandwidth_bytes_per_second gauge\n"
                + "fabric_bandwidth_bytes_per_second{switch=\"sw-0001\"} 3.90625E10\n"
                + "fabric_bandwidth_bytes_per_second{switch=\"sw-0002\"} 0.0\n"
                + "# HELP fabric_utilization_ratio Link utilization, from CSV column utilization_pct (percent)\n"
                + "# TYPE fabric_utilization_ratio gauge\n"
                + "fabric_utilization_ratio{switch=\"sw-0001\"} 0.7813\n"
                + "fabric_utilization_ratio{switch=\"sw-0002\"} 0.0\n"
                + "# HELP fabric_latency_seconds Switch latency, from CSV column latency_us (microseconds)\n"
                + "# TYPE fabric_latency_seconds gauge\n"
                + "fabric_latency_seconds{switch=\"sw-0001\"} 1.5E-6\n"
                + "# HELP fabric_packet_errors_total Packet errors since the generator started, from CSV column packet_errors (packets)\n"
                + "# TYPE fabric_packet_errors_total counter\n"
                + "fabric_packet_errors_total{switch=\"sw-0001\"} 17.0\n"
                + "fabric_packet_errors_total{switch=\"sw-0002\"} 20.0\n"
                + "# HELP fabric_dropped_packets_total Dropped packets since the generator started, from CSV column dropped_packets (packets)\n"
                + "# TYPE fabric_dropped_packets_total counter\n"
                + "fabric_dropped_packets_total{switch=\"sw-0001\"} 4.0\n"
                + "fabric_dropped_packets_total{switch=\"sw-0002\"} 6.0\n"
                + "# HELP fabric_link_state Link state, from CSV column link_state (1 up, 0 down)\n"
                + "# TYPE fabric_link_state gauge\n"
                + "fabric_link_state{switch=\"sw-0001\"} 1.0\n"
                + "fabric_link_state{switch=\"sw-0002\"} 0.0\n"
                + "# HELP fabric_link_down_total Link-down episodes since the generator started, from CSV column link_down_count\n"
                + "# TYPE fabric_link_down_total counter\n"
                + "fabric_link_down_total{switch=\"sw-0001\"} 0.0\n"
                + "fabric_link_down_total{switch=\"sw-0002\"} 1.0\n"
                + "# HELP fabric_temperature_celsius Switch temperature, from CSV column temperature_c (degrees Celsius)\n"
                + "# TYPE fabric_temperature_celsius gauge\n"
                + "fabric_temperature_celsius{switch=\"sw-0001\"} 55.5\n"
                + "fabric_temperature_celsius{switch=\"sw-0002\"} 31.0\n"
                + "# HELP fabric_fan_speed_rpm Value of CSV column fan-speed rpm (unit as the generator sends it)\n"
                + "# TYPE fabric_fan_speed_rpm gauge\n"
                + "fabric_fan_speed_rpm{switch=\"sw-0001\"} 9000.0\n";

    @Test
    void switchRowExportIsByteForByteWhatItWasBeforePortRows() {
        assertThat(export(knownSnapshot())).isEqualTo(KNOWN_SNAPSHOT_EXPORT);
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

    /** Two switches with integer readings 1, 2, ... in every column. */
    static Snapshot snapshotWith(List<String> columns, SnapshotStore store) {
        int cells = 2 * columns.size();
        long[] values = new long[cells];
        byte[] kinds = new byte[cells];
        for (int i = 0; i < cells; i++) {
            values[i] = i + 1;
            kinds[i] = I;
        }
        return store.publish(Table.of(columns, List.of("sw-0001", "sw-0002"), values, kinds, 0, 0),
                Instant.EPOCH, Instant.EPOCH, null);
    }

    /** The family names of an export, in order, from its TYPE lines. */
    private static List<String> families(String text) {
        return text.lines().filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" ")[2]).toList();
    }

    @Test
    void columnsEndingInSuffixesTheClientLibraryReservesAreExportedUnderItsNames() {
        String text = export(snapshotWith(List.of("bandwidth_gbps", "crc_errors_total", "port_info", "fan-speed rpm"),
                new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)))));

        assertThat(families(text)).containsExactly("fabric_bandwidth_bytes_per_second", "fabric_crc_errors",
                "fabric_port", "fabric_fan_speed_rpm");
        assertThat(text).contains("# HELP fabric_crc_errors Value of CSV column crc_errors_total")
                .contains("fabric_crc_errors{switch=\"sw-0002\"} 6.0\n")
                .contains("fabric_port{switch=\"sw-0001\"} 3.0\n")
                .contains("fabric_fan_speed_rpm{switch=\"sw-0001\"} 4.0\n");
    }

    @Test
    void columnsThatMapToOneNameExportOneFamilyTheFirstAndSayItOncePerColumnSet() {
        Logger logger = (Logger) LoggerFactory.getLogger(FabricExporter.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            List<String> columns = List.of("crc_errors", "crc_errors_total", "queue.depth", "queue_depth",
                    "température", "temp rature");
            FabricExporter exporter = new FabricExporter();
            SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
            String text = new String(exporter.encode(snapshotWith(columns, store)).toByteArray(), StandardCharsets.UTF_8);
            exporter.encode(snapshotWith(columns, store));

            assertThat(families(text)).containsExactly("fabric_crc_errors", "fabric_queue_depth", "fabric_temp_rature");
            assertThat(text).contains("fabric_crc_errors{switch=\"sw-0001\"} 1.0\n")
                    .contains("fabric_queue_depth{switch=\"sw-0001\"} 3.0\n");
            assertThat(logged.list).hasSize(1);
            assertThat(logged.list.get(0).getLevel()).isEqualTo(Level.WARN);
            assertThat(logged.list.get(0).getFormattedMessage()).contains("leaves out 3 of 6 columns")
                    .contains("'crc_errors_total' (maps to fabric_crc_errors, already exported from 'crc_errors')")
                    .contains("'queue_depth'");

            exporter.encode(snapshotWith(List.of("crc_errors", "crc_errors_total"), store));
            assertThat(logged.list).hasSize(2);
            exporter.encode(snapshotWith(List.of("bandwidth_gbps"), store));
            assertThat(logged.list).hasSize(2);
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void failedEncodingIsNotKeptTheNextScrapeTriesAgain() {
        Snapshot snapshot = knownSnapshot();
        AtomicInteger attempts = new AtomicInteger();
        FabricExporter exporter = new FabricExporter() {
            @Override
            Bodies.Sink encode(Snapshot s) {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("first encoding fails");
                }
                return super.encode(s);
            }
        };
        assertThatIllegalStateException().isThrownBy(() -> exporter.export(snapshot).block());
        assertThat(text(exporter.export(snapshot).block())).contains("fabric_link_state");
        assertThat(text(exporter.export(snapshot).block())).contains("fabric_link_state");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void requestStillHoldingThePreviousSnapshotDoesNotMakeTheCurrentOneEncodeAgain() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        Snapshot previous = snapshotWith(List.of("a"), store);
        Snapshot current = snapshotWith(List.of("a"), store);
        List<Long> encoded = new java.util.concurrent.CopyOnWriteArrayList<>();
        FabricExporter exporter = new FabricExporter() {
            @Override
            Bodies.Sink encode(Snapshot s) {
                encoded.add(s.sequence());
                return super.encode(s);
            }
        };
        exporter.export(current).block();
        exporter.export(previous).block(); // a request that read the store just before the swap
        exporter.export(current).block();
        exporter.export(previous).block();

        assertThat(encoded).containsExactly(2L, 1L, 1L);
    }

    private static String text(java.nio.ByteBuffer body) {
        return new String(Bodies.toArray(body), StandardCharsets.UTF_8);
    }
}
