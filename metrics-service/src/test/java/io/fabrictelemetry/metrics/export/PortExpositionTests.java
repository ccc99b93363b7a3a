package io.fabrictelemetry.metrics.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import io.fabrictelemetry.metrics.ingest.CsvPayloads;
import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** The Prometheus export of port rows (issue 22 §3): one series per port, UFM's columns named by one rule. */
class PortExpositionTests {

    static final String LEAF = "0xe41d2d0300a0b1c2";
    /** Written in upper case by its source: the label keeps it as written. */
    static final String SPINE = "0xE41D2D0300A0B1C3";
    /** No node_description. */
    static final String BARE = "0xe41d2d0300a0b1c4";
    static final String SPINE_DESCRIPTION = "spine \"A\" \\ row 7";

    /**
     * A payload written as NVIDIA's UFM Telemetry samples are (identity columns, µs timestamps,
     * {@code 0x} GUIDs, empty tag, exponent decimals), every converted_enterprise column: three
     * switches of three ports; hist4 empty in every row; BARE's port 1 has no symbol errors reading.
     * Counter of column c on port p of switch s: {@code 1000 s + 10 p + c}; MBOut/MBIn 288 times
     * that (bytes: 288 a packet, as in NVIDIA's sample); CBW 12.5 Gbps; the normalized percents 5.48295e-7.
     */
    static String ufmCsv() {
        StringBuilder csv = new StringBuilder("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,")
                .append(String.join(",", PortSeriesNamingTests.UFM_COLUMNS)).append('\n');
        String[] guids = {LEAF, SPINE, BARE};
        String[] descriptions = {"leaf-01", "\"" + SPINE_DESCRIPTION.replace("\"", "\"\"") + "\"", ""};
        for (int s = 0; s < 3; s++) {
            for (int p = 1; p <= 3; p++) {
                csv.append(1709652347161873L + s * 10 + p).append(",10.209.36.71,,").append(guids[s]).append(',')
                        .append(guids[s]).append(',').append(p).append(',').append(descriptions[s]);
                for (int c = 0; c < PortSeriesNamingTests.UFM_COLUMNS.size(); c++) {
                    String column = PortSeriesNamingTests.UFM_COLUMNS.get(c);
                    csv.append(',');
                    if (column.equals("hist4_u_count") || (s == 2 && p == 1 && column.contains("SymbolErrors"))) {
                        continue;
                    }
                    if (column.endsWith("_u_Gb")) {
                        csv.append(288 * (1000 * s + 10 * p + c));
                    } else if (column.endsWith("_u_Gbps")) {
                        csv.append("12.5");
                    } else if (column.endsWith("_u_Percent")) {
                        csv.append("5.48295e-7");
                    } else {
                        csv.append(1000 * s + 10 * p + c);
                    }
                }
                csv.append('\n');
            }
        }
        return csv.toString();
    }

    static Snapshot publish(String csv, SnapshotStore store) {
        return store.publish(CsvPayloads.parse(csv.getBytes(StandardCharsets.UTF_8), store.current()),
                Instant.parse("2024-03-05T15:25:47.161Z"), Instant.parse("2024-03-05T15:25:47.5Z"), null);
    }

    static SnapshotStore store(CounterProperties counters) {
        return new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)), counters);
    }

    static Snapshot ufmSnapshot() {
        return publish(ufmCsv(), store(CounterProperties.defaults()));
    }

    static String text(PortExposition.Encoded encoded) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip(encoded)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(PortExposition.Encoded encoded) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer chunk : encoded.gzip()) {
            ByteBuffer view = chunk.duplicate();
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            all.writeBytes(bytes);
        }
        return all.toByteArray();
    }

    /** The family names of an export, in order, from its TYPE lines. */
    static List<String> families(String text) {
        return text.lines().filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" ")[2] + " " + line.split(" ")[3])
                .toList();
    }

    @Test
    void eachPortIsASeriesLabelledBySwitchAsWrittenPortAndDescription() {
        String text = text(new FabricExporter().encodePorts(ufmSnapshot()));

        // column 4 (symbol errors): 1000 s + 10 p + 4
        assertThat(text).contains("# HELP fabric_port_infiniband_symbol_errors_total Counter of each port, from CSV column"
                + " Infiniband_SymbolErrors_u_Errors (Errors)\n"
                + "# TYPE fabric_port_infiniband_symbol_errors_total counter\n"
                + "fabric_port_infiniband_symbol_errors_total{switch=\"" + LEAF + "\",port=\"1\",description=\"leaf-01\"} 14\n"
                + "fabric_port_infiniband_symbol_errors_total{switch=\"" + LEAF + "\",port=\"2\",description=\"leaf-01\"} 24\n"
                + "fabric_port_infiniband_symbol_errors_total{switch=\"" + LEAF + "\",port=\"3\",description=\"leaf-01\"} 34\n"
                + "fabric_port_infiniband_symbol_errors_total{switch=\"" + SPINE + "\",port=\"1\",description=\"spine \\\"A\\\" \\\\ row 7\"} 1014\n");
        // no description known: no label; no reading: no sample
        assertThat(text).contains("fabric_port_infiniband_symbol_errors_total{switch=\"" + BARE + "\",port=\"2\"} 2024\n")
                .doesNotContain("fabric_port_infiniband_symbol_errors_total{switch=\"" + BARE + "\",port=\"1\"}")
                .contains("fabric_port_infiniband_xmit_wait_total{switch=\"" + BARE + "\",port=\"1\"} 2026\n");
    }

    @Test
    void unitsAreConvertedToBaseUnitsAndGaugesHaveNoTotal() {
        String text = text(new FabricExporter().encodePorts(ufmSnapshot()));

        assertThat(text).contains("# TYPE fabric_port_infiniband_mbout_bytes_total counter\n"
                        + "fabric_port_infiniband_mbout_bytes_total{switch=\"" + LEAF + "\",port=\"1\",description=\"leaf-01\"} 2880\n")
                .contains("# TYPE fabric_port_infiniband_cbw_bytes_per_second gauge\n"
                        + "fabric_port_infiniband_cbw_bytes_per_second{switch=\"" + LEAF + "\",port=\"1\",description=\"leaf-01\"} 1562500000\n")
                .contains("# TYPE fabric_port_infiniband_normalized_cbw_ratio gauge\n"
                        + "fabric_port_infiniband_normalized_cbw_ratio{switch=\"" + LEAF + "\",port=\"1\",description=\"leaf-01\"} 5.48295E-9\n");
    }

    @Test
    void everyColumnWithAReadingIsOneFamilyAndNeitherAggregatesNorRatesAreExported() {
        Snapshot snapshot = ufmSnapshot();
        assertThat(snapshot.metrics()).hasSizeGreaterThan(snapshot.generatorMetricCount()); // the rates exist
        PortExposition.Encoded encoded = new FabricExporter().encodePorts(snapshot);
        String text = text(encoded);

        List<String> expected = new ArrayList<>();
        for (String column : PortSeriesNamingTests.UFM_COLUMNS) {
            if (!column.equals("hist4_u_count")) { // empty in every row: no family
                boolean counter = PortSeriesNamingTests.defaultCounter(column);
                FabricSeries series = FabricSeries.forPortColumn(column, counter);
                expected.add(series.name() + (counter ? "_total counter" : " gauge"));
            }
        }
        assertThat(families(text)).containsExactlyElementsOf(expected);
        List<String> samples = text.lines().filter(line -> !line.startsWith("#")).toList();
        // 9 ports x 24 columns, less BARE port 1's symbol errors; every one names its port
        assertThat(samples).hasSize(9 * 24 - 1).allMatch(line -> line.matches("fabric_port_\\w+\\{switch=\"0x[0-9a-fA-F]{16}\",port=\"[123]\"(,description=\"(?:[^\"\\\\]|\\\\.)*\")?} \\S+"));
        assertThat(encoded.samples()).isEqualTo(samples.size());
        assertThat(encoded.identityBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(encoded.gzipBytes()).isEqualTo(gzip(encoded).length);
    }

    @Test
    void theTypeOfAColumnFollowsMetricsCounters() {
        Snapshot snapshot = publish(ufmCsv(), store(new CounterProperties(List.of("*_u_Errors"))));
        String text = text(new FabricExporter().encodePorts(snapshot));

        assertThat(families(text)).contains("fabric_port_infiniband_symbol_errors_total counter",
                "fabric_port_infiniband_xmit_wait gauge", "fabric_port_infiniband_mbout_bytes gauge");
        assertThat(text).contains("fabric_port_infiniband_xmit_wait{switch=\"" + LEAF + "\",port=\"1\",description=\"leaf-01\"} 26\n");
    }

    /**
     * Written by hand for speed, the export must say what Prometheus's own writer says for the same
     * families and data points: HELP and TYPE lines, names, label sets and values (the writer puts
     * labels in name order and families by name, and writes {@code 14.0} where this writes {@code 14}).
     */
    @Test
    void theExportReadsAsPrometheussOwnWriterWritesTheSameSeries() throws IOException {
        Snapshot snapshot = ufmSnapshot();
        PortView ports = snapshot.ports();
        assertThat(ports).isNotNull();
        String text = text(new FabricExporter().encodePorts(snapshot));

        List<MetricSnapshot> families = new ArrayList<>();
        for (int column = 0; column < snapshot.generatorMetricCount(); column++) {
            FabricSeries series = FabricSeries.forPortColumn(snapshot.metrics().get(column), snapshot.isSum(column));
            CounterSnapshot.Builder counter = CounterSnapshot.builder().name(series.name()).help(series.help());
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(series.name()).help(series.help());
            boolean any = false;
            for (int s = 0; s < snapshot.switchCount(); s++) {
                for (int port = ports.firstPort(s); port < ports.endPort(s); port++) {
                    double value = ports.numericValue(port, column);
                    if (Double.isNaN(value)) {
                        continue;
                    }
                    any = true;
                    String description = snapshot.description(s);
                    Labels labels = description == null
                            ? Labels.of("switch", snapshot.switchId(s), "port", Integer.toString(ports.portNumber(port)))
                            : Labels.of("switch", snapshot.switchId(s), "port", Integer.toString(ports.portNumber(port)),
                                    "description", description);
                    double converted = series.toBaseUnit(value);
                    counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(converted).build());
                    gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(converted).build());
                }
            }
            if (any) {
                families.add(series.counter() ? counter.build() : gauge.build());
            }
        }
        ByteArrayOutputStream library = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build()
                .write(library, MetricSnapshots.of(families.toArray(MetricSnapshot[]::new)));
        String expected = library.toString(StandardCharsets.UTF_8);

        // the library orders families by name, this export by column
        assertThat(text.lines().filter(line -> line.startsWith("#")).toList())
                .containsExactlyInAnyOrderElementsOf(expected.lines().filter(line -> line.startsWith("#")).toList());
        assertThat(samples(text)).isEqualTo(samples(expected)).hasSize(9 * 24 - 1);
    }

    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{(.*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Each sample as name and its labels in name order, with its value as a double. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.lines().filter(line -> !line.startsWith("#")).toList()) {
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as(line).isTrue();
            Map<String, String> labels = new TreeMap<>();
            for (Matcher label = LABEL.matcher(sample.group(2)); label.find(); ) {
                labels.put(label.group(1), label.group(2));
            }
            assertThat(samples.put(sample.group(1) + labels, Double.parseDouble(sample.group(3)))).as(line).isNull();
        }
        return samples;
    }

    @Test
    void numbersAreWholeWhenWholeAndExactBeyondTwoToTheFiftyThird() {
        String csv = "timestamp,node_guid,port_num,Infiniband_PckOut_u_Packets,Infiniband_MBOut_u_Gb,Infiniband_CBW_f_u_Gbps\n"
                + "1709652347161873,0x0000000000000001,1,9007199254740993,0.5,-0.0\n"
                + "1709652347161873,0x0000000000000001,2,0,1.5e-9,1e300\n";
        String text = text(new FabricExporter().encodePorts(publish(csv, store(CounterProperties.defaults()))));

        assertThat(text).contains("fabric_port_infiniband_pck_out_total{switch=\"0x0000000000000001\",port=\"1\"} 9007199254740993\n")
                .contains("fabric_port_infiniband_mbout_bytes_total{switch=\"0x0000000000000001\",port=\"1\"} 0.5\n")
                .contains("fabric_port_infiniband_mbout_bytes_total{switch=\"0x0000000000000001\",port=\"2\"} 1.5E-9\n")
                .contains("fabric_port_infiniband_cbw_bytes_per_second{switch=\"0x0000000000000001\",port=\"1\"} 0\n")
                .contains("fabric_port_infiniband_cbw_bytes_per_second{switch=\"0x0000000000000001\",port=\"2\"} 1.25E308\n");
    }

    @Test
    void eachPortSnapshotIsEncodedOnceAndSharedByScrapes() {
        Snapshot snapshot = ufmSnapshot();
        AtomicInteger encodings = new AtomicInteger();
        FabricExporter exporter = new FabricExporter() {
            @Override
            PortExposition.Encoded encodePorts(Snapshot s) {
                encodings.incrementAndGet();
                return super.encodePorts(s);
            }
        };
        PortExposition.Encoded first = exporter.exportPorts(snapshot).block();
        PortExposition.Encoded second = exporter.exportPorts(snapshot).block();
        assertThat(second).isSameAs(first);
        assertThat(encodings).hasValue(1);
        exporter.exportPorts(ufmSnapshot()).block();
        assertThat(encodings).hasValue(2);
    }

    @Test
    void theTextIsInflatedInChunksToWhatTheGzipHolds() {
        PortExposition.Encoded encoded = new FabricExporter().encodePorts(ufmSnapshot());
        List<@Nullable DataBuffer> chunks = encoded.identityBody().collectList().block();
        assertThat(chunks).isNotNull();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (DataBuffer chunk : chunks) {
            byte[] bytes = new byte[chunk.readableByteCount()];
            chunk.read(bytes);
            DataBufferUtils.release(chunk);
            joined.writeBytes(bytes);
        }
        assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo(text(encoded));
        assertThat(joined.size()).isEqualTo(encoded.identityBytes());
    }
}
