package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * A payload written as NVIDIA's public UFM Telemetry samples are: {@code csv/metrics}' identity
 * columns, the high-frequency counter set with UFM's names, µs timestamps, {@code 0x} GUIDs shared
 * by a switch's ports, an empty {@code tag}, and normalized percents as exponent decimals. Read
 * with the default settings, as a service pointed at a UFM endpoint reads it.
 */
class UfmTelemetrySampleTests {

    static final String PAYLOAD = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
            + "Infiniband_MBOut_u_Gb,Infiniband_MBIn_u_Gb,Infiniband_PckOut_u_Packets,Infiniband_PckIn_u_Packets,"
            + "Infiniband_SymbolErrors_u_Errors,Infiniband_LinkRecovers_u_Errors,Infiniband_LinkDowned_u_Errors,"
            + "Infiniband_RcvErrors_u_Errors,Infiniband_RcvRemotePhysErrors_u_Errors,Infiniband_RcvSwRelayErrors_u_Errors,"
            + "Infiniband_XmtDiscards_u_Errors,Infiniband_XmtConstraintErrors_u_Errors,Infiniband_RcvConstraintErrors_u_Errors,"
            + "Infiniband_LinkIntegrityErrors_u_Errors,Infiniband_ExcBufOverrunErrors_u_Errors,Infiniband_VL15Dropped_u_Drops,"
            + "Infiniband_XmitWait_u_Ticks,hist0_u_count,hist1_u_count,hist2_u_count,hist3_u_count,hist4_u_count,"
            + "Infiniband_CBW_f_u_Gbps,Infiniband_Normalized_CBW_f_u_Percent,Infiniband_Normalized_MBOut_f_u_Percent\n"
            + "1709652347161873,10.209.36.68:9001,,0x248a0703009d6c8e,0x248a0703009d6c8e,1,r-ufm-sw13,"
            + "183521,183490,2610874,2610210,0,0,1,0,0,0,0,0,0,0,0,0,35210,2610110,88,12,0,0,0.0223115,5.48295e-7,2.79034e-6\n"
            + "1709652347161873,10.209.36.68:9001,,0x248a0703009d6c8e,0x248a0703009d6c8e,2,r-ufm-sw13,"
            + "91377,91402,1305871,1305912,3,0,0,0,0,0,0,0,0,0,0,0,0,1305900,12,0,0,0,0.0111742,2.74591e-7,1.39326e-6\n"
            + "1709652347161873,10.209.36.68:9001,,0x248a0703009d6c8e,0x248a0703009d6c8e,3,r-ufm-sw13,"
            + "0,0,0,0,0,0,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
            + "1709652347158034,10.209.36.68:9001,,0xb8cef60300e3a6d4,0xb8cef60300e3a6d4,1,r-ufm-sw14,"
            + "402873,402911,5731208,5731455,0,0,0,0,0,0,0,0,0,0,0,0,112,5731340,115,0,0,0,0.0489832,1.20389e-6,6.12714e-6\n";

    @Test
    void ufmSamplePayloadReadsIntoPortsAndAggregatesCheckedByHand() {
        Table table = CsvPayloadParser.parse(PAYLOAD.getBytes(StandardCharsets.UTF_8));
        assertThat(table.rejectedRows()).isZero();
        assertThat(table.rejectedValues()).isZero();
        Instant sampledAt = PollLoop.sampledAt(null, table, Instant.parse("2026-12-07T06:00:00Z"));
        Snapshot snapshot = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)), CounterProperties.defaults())
                .publish(table, sampledAt, Instant.parse("2026-12-07T06:00:00Z"), null);

        // the newest row timestamp, 1709652347161873 µs
        assertThat(snapshot.sampledAtText()).isEqualTo("2024-03-05T15:25:47.161Z");
        assertThat(snapshot.metrics()).hasSize(25 + 22); // 22 counters get a rate, the 3 gauges none
        assertThat(snapshot.switchCount()).isEqualTo(2);
        int sw13 = snapshot.switchRow("0x248a0703009d6c8e");
        assertThat(snapshot.switchRow("r-ufm-sw13")).isEqualTo(sw13);
        assertThat(snapshot.description(sw13)).isEqualTo("r-ufm-sw13");
        PortView ports = snapshot.ports();
        assertThat(ports.endPort(sw13) - ports.firstPort(sw13)).isEqualTo(3);

        // by hand: Infiniband_PckIn_u_Packets of r-ufm-sw13 = 2610210 + 1305912 + 0 = 3916122 (a counter: the sum)
        int pckIn = snapshot.metricColumn("Infiniband_PckIn_u_Packets");
        assertThat(snapshot.cellKind(sw13, pckIn)).isEqualTo(CellKind.INTEGER);
        assertThat(snapshot.cellBits(sw13, pckIn)).isEqualTo(3_916_122L);
        assertThat(snapshot.isSum(pckIn)).isTrue();
        assertThat(snapshot.aggregatedPorts(sw13, pckIn)).isEqualTo(3);
        // link-downed: 1 + 0 + 2 = 3; symbol errors: 0 + 3 + 0 = 3
        assertThat(snapshot.cellBits(sw13, snapshot.metricColumn("Infiniband_LinkDowned_u_Errors"))).isEqualTo(3L);
        assertThat(snapshot.cellBits(sw13, snapshot.metricColumn("Infiniband_SymbolErrors_u_Errors"))).isEqualTo(3L);
        // a gauge: the maximum, max(5.48295e-7, 2.74591e-7, 0) = 5.48295e-7
        int normalized = snapshot.metricColumn("Infiniband_Normalized_CBW_f_u_Percent");
        assertThat(snapshot.isSum(normalized)).isFalse();
        assertThat(snapshot.numericValue(sw13, normalized)).isEqualTo(5.48295e-7);
        // one port, as written
        int port2 = ports.portRow(sw13, 2);
        assertThat(ports.numericValue(port2, snapshot.metricColumn("Infiniband_Normalized_MBOut_f_u_Percent")))
                .isEqualTo(1.39326e-6);
        assertThat(ports.sampledAtText(port2)).isEqualTo("2024-03-05T15:25:47.161Z");
        // the other switch: its only port's time, older than the payload's
        assertThat(snapshot.sampledAtText("0xb8cef60300e3a6d4")).isEqualTo("2024-03-05T15:25:47.158Z");

        String body = new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8);
        assertThat(body).contains("\"0x248a0703009d6c8e\":{\"Infiniband_MBOut_u_Gb\":274898,")
                .contains("\"Infiniband_Normalized_CBW_f_u_Percent\":5.48295E-7")
                .contains("\"descriptions\":{\"0x248a0703009d6c8e\":\"r-ufm-sw13\",\"0xb8cef60300e3a6d4\":\"r-ufm-sw14\"}");
    }
}
