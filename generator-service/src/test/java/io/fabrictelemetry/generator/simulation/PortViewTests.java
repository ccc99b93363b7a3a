package io.fabrictelemetry.generator.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

/** {@code /csv/metrics} as the fabric renders it, and how {@code /counters} derives from it. */
class PortViewTests {

    private static final List<String> ALL_METRICS = List.of("bandwidth_gbps", "utilization_pct", "latency_us",
            "packet_errors", "dropped_packets", "link_state", "link_down_count", "temperature_c", "rx_bytes",
            "tx_bytes");
    private static final String HEADER = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
            + "Infiniband_MBOut_u_Gb,Infiniband_MBIn_u_Gb,Infiniband_PckOut_u_Packets,Infiniband_PckIn_u_Packets,"
            + "Infiniband_SymbolErrors_u_Errors,Infiniband_LinkRecovers_u_Errors,Infiniband_LinkDowned_u_Errors,"
            + "Infiniband_RcvErrors_u_Errors,Infiniband_RcvRemotePhysErrors_u_Errors,"
            + "Infiniband_RcvSwRelayErrors_u_Errors,Infiniband_XmtDiscards_u_Errors,"
            + "Infiniband_XmtConstraintErrors_u_Errors,Infiniband_RcvConstraintErrors_u_Errors,"
            + "Infiniband_LinkIntegrityErrors_u_Errors,Infiniband_ExcBufOverrunErrors_u_Errors,"
            + "Infiniband_VL15Dropped_u_Drops,Infiniband_XmitWait_u_Ticks,hist0_u_count,hist1_u_count,"
            + "hist2_u_count,hist3_u_count,hist4_u_count,Infiniband_CBW_f_u_Gbps,"
            + "Infiniband_Normalized_CBW_f_u_Percent,Infiniband_Normalized_MBOut_f_u_Percent";
    private static final int IDENTITY = 7;
    private static final long STAMP = 1_709_652_347_161_000L;

    private static FabricProperties config(int switches, int ports, List<String> metrics) {
        return new FabricProperties(switches, metrics, Duration.ofSeconds(10), 42L, 400, 0.05, 0.03, 0.2, ports);
    }

    private static List<CsvRecord> parse(byte[] csv) {
        List<CsvRecord> rows = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(new String(csv, StandardCharsets.US_ASCII)).forEach(rows::add);
        return rows;
    }

    private static int column(String name) {
        return Arrays.asList(HEADER.split(",")).indexOf(name);
    }

    @Test
    void headerIsUfmTelemetrysIdentityColumnsThenItsHighFrequencyCountersInOrder() {
        Fabric fabric = new Fabric(config(2, 3, Metric.DEFAULT_NAMES), 1);
        String csv = new String(fabric.renderPortsCsv(STAMP).toByteArray(), StandardCharsets.US_ASCII);
        assertThat(csv).startsWith(HEADER + "\r\n").endsWith("\r\n");
        assertThat(PortColumn.header()).isEqualTo(HEADER);
    }

    @Test
    void oneRowPerPortSwitchBySwitchPortsAscendingWithTheSampleTimeInMicroseconds() {
        Fabric fabric = new Fabric(config(12, 5, Metric.DEFAULT_NAMES), 1);
        fabric.advance();
        List<CsvRecord> rows = parse(fabric.renderPortsCsv(STAMP).toByteArray());
        List<CsvRecord> counters = parse(fabric.renderCsv());

        assertThat(rows).hasSize(1 + 12 * 5);
        for (int s = 0; s < 12; s++) {
            String name = counters.get(s + 1).getField(0);
            String guid = rows.get(1 + s * 5).getField(3);
            for (int p = 0; p < 5; p++) {
                CsvRecord row = rows.get(1 + s * 5 + p);
                assertThat(row.getFieldCount()).isEqualTo(IDENTITY + 25);
                assertThat(row.getField(0)).isEqualTo(Long.toString(STAMP));
                assertThat(row.getField(1)).as("source_id: the node GUID, as UFM writes it").isEqualTo(guid);
                assertThat(row.getField(2)).as("tag").isEmpty();
                assertThat(row.getField(3)).matches("0x[0-9a-f]{16}");
                assertThat(row.getField(4)).as("port_guid: the switch's").isEqualTo(guid);
                assertThat(row.getField(5)).isEqualTo(Integer.toString(p + 1));
                assertThat(row.getField(6)).as("node_description joins /counters").isEqualTo(name);
            }
        }
    }

    @Test
    void eachSwitchHasItsOwnGuidStableAcrossRestartsAndSeeds() {
        Set<String> guids = new HashSet<>();
        for (int number = 1; number <= 200_000; number++) {
            guids.add(Fabric.nodeGuid(number));
        }
        assertThat(guids).hasSize(200_000).allSatisfy(guid -> assertThat(guid).matches("0x[0-9a-f]{16}"));

        List<CsvRecord> one = parse(new Fabric(config(3, 2, Metric.DEFAULT_NAMES), 1).renderPortsCsv(STAMP).toByteArray());
        List<CsvRecord> other = parse(new Fabric(config(3, 2, Metric.DEFAULT_NAMES), 99).renderPortsCsv(STAMP).toByteArray());
        for (int r = 1; r < one.size(); r++) {
            assertThat(other.get(r).getField(3)).isEqualTo(one.get(r).getField(3));
            assertThat(other.get(r).getField(6)).isEqualTo(one.get(r).getField(6));
        }
        assertThat(one.get(1).getField(3)).isNotEqualTo(one.get(3).getField(3));
    }

    /**
     * The exact relation README states: counters are sums of the ports' cells, bandwidth and
     * utilisation the switch's busiest port as the port view writes it.
     */
    @Test
    void everyDerivedCountersColumnIsExactlyTheSumOrMaximumOfItsPortsCells() {
        Fabric fabric = new Fabric(config(25, 40, ALL_METRICS), 5);
        for (int period = 0; period < 20; period++) {
            fabric.advance();
            List<CsvRecord> counters = parse(fabric.renderCsv());
            List<CsvRecord> ports = parse(fabric.renderPortsCsv(STAMP).toByteArray());
            for (int s = 0; s < 25; s++) {
                CsvRecord row = counters.get(s + 1);
                List<CsvRecord> own = ports.subList(1 + s * 40, 1 + (s + 1) * 40);
                assertThat(Long.parseLong(row.getField(4))).isEqualTo(sum(own, "Infiniband_RcvErrors_u_Errors"));
                assertThat(Long.parseLong(row.getField(5))).isEqualTo(sum(own, "Infiniband_XmtDiscards_u_Errors"));
                assertThat(Long.parseLong(row.getField(7))).isEqualTo(sum(own, "Infiniband_LinkDowned_u_Errors"));
                assertThat(Long.parseLong(row.getField(9))).isEqualTo(sum(own, "Infiniband_MBIn_u_Gb"));
                assertThat(Long.parseLong(row.getField(10))).isEqualTo(sum(own, "Infiniband_MBOut_u_Gb"));
                assertThat(row.getField(1)).isEqualTo(fixed2(max(own, "Infiniband_CBW_f_u_Gbps")));
                assertThat(row.getField(2)).isEqualTo(fixed2(max(own, "Infiniband_Normalized_CBW_f_u_Percent")));
            }
        }
    }

    private static long sum(List<CsvRecord> rows, String name) {
        int c = column(name);
        return rows.stream().mapToLong(r -> Long.parseLong(r.getField(c))).sum();
    }

    private static double max(List<CsvRecord> rows, String name) {
        int c = column(name);
        return rows.stream().mapToDouble(r -> Double.parseDouble(r.getField(c))).max().orElseThrow();
    }

    private static String fixed2(double value) {
        StringBuilder out = new StringBuilder();
        Decimals.appendFixed(out, value, 2);
        return out.toString();
    }

    @Test
    void portCountersNeverDecreaseAndTheirValuesLookLikeAFabrics() {
        Fabric fabric = new Fabric(config(20, 40, Metric.DEFAULT_NAMES), 7);
        long[][] last = new long[1 + 20 * 40][PortColumn.COUNTERS];
        long errorCells = 0;
        long zeroErrorCells = 0;
        boolean exponentSeen = false;
        for (int period = 0; period < 120; period++) {
            fabric.advance();
            List<CsvRecord> rows = parse(fabric.renderPortsCsv(STAMP).toByteArray());
            for (int r = 1; r < rows.size(); r++) {
                CsvRecord row = rows.get(r);
                for (int c = 0; c < PortColumn.COUNTERS; c++) {
                    String text = row.getField(IDENTITY + c);
                    assertThat(text).matches("0|[1-9][0-9]*");
                    long value = Long.parseLong(text);
                    assertThat(value).isGreaterThanOrEqualTo(last[r][c]);
                    last[r][c] = value;
                    if (PortColumn.values()[c].columnName().endsWith("_u_Errors")
                            && c != PortColumn.XMT_DISCARDS.ordinal()) {
                        errorCells++;
                        zeroErrorCells += value == 0 ? 1 : 0;
                    }
                }
                long sent = Long.parseLong(row.getField(column("Infiniband_PckOut_u_Packets")));
                long histogram = 0;
                for (int h = 0; h < 5; h++) {
                    histogram += Long.parseLong(row.getField(column("hist" + h + "_u_count")));
                }
                assertThat(histogram).as("the histogram counts the packets sent").isEqualTo(sent);
                assertThat(Double.parseDouble(row.getField(column("Infiniband_CBW_f_u_Gbps")))).isBetween(0.0, 400.0);
                assertThat(Double.parseDouble(row.getField(column("Infiniband_Normalized_CBW_f_u_Percent"))))
                        .isBetween(0.0, 100.0);
                String mbOut = row.getField(column("Infiniband_Normalized_MBOut_f_u_Percent"));
                assertThat(mbOut).matches("0|[0-9]+(\\.[0-9]*[1-9])?|[1-9](\\.[0-9]*[1-9])?e-?[1-9][0-9]*");
                assertThat(Double.parseDouble(mbOut)).isBetween(0.0, 100.0);
                exponentSeen |= mbOut.contains("e-");
            }
        }
        assertThat((double) zeroErrorCells / errorCells).as("error counters are mostly 0").isGreaterThan(0.9);
        assertThat(errorCells - zeroErrorCells).as("but not all").isPositive();
        assertThat(exponentSeen).as("a quiet port's percent in exponent notation").isTrue();
        long maxDowned = 0;
        for (long[] port : last) {
            maxDowned = Math.max(maxDowned, port[PortColumn.LINK_DOWNED.ordinal()]);
        }
        assertThat(maxDowned).as("a few link-downs at most per port").isBetween(1L, 6L);
    }

    @Test
    void sameSeedAndConfigurationGiveTheSamePortViews() {
        Fabric a = new Fabric(config(10, 8, Metric.DEFAULT_NAMES), 3);
        Fabric b = new Fabric(config(10, 8, Metric.DEFAULT_NAMES), 3);
        for (int period = 0; period < 50; period++) {
            a.advance();
            b.advance();
            assertThat(b.renderPortsCsv(STAMP).toByteArray()).isEqualTo(a.renderPortsCsv(STAMP).toByteArray());
        }
    }

    @Test
    void onePortPerSwitchStillDerivesTheSwitchRow() {
        Fabric fabric = new Fabric(config(4, 1, ALL_METRICS), 2);
        fabric.advance();
        List<CsvRecord> counters = parse(fabric.renderCsv());
        List<CsvRecord> ports = parse(fabric.renderPortsCsv(STAMP).toByteArray());
        assertThat(ports).hasSize(5);
        for (int s = 0; s < 4; s++) {
            assertThat(counters.get(s + 1).getField(9))
                    .isEqualTo(ports.get(s + 1).getField(column("Infiniband_MBIn_u_Gb")));
        }
    }
}
