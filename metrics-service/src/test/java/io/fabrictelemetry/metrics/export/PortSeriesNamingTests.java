package io.fabrictelemetry.metrics.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The one rule that names a UFM Telemetry column of port rows as a Prometheus series (README, "The fabric itself"). */
class PortSeriesNamingTests {

    /** UFM's high-frequency counter set (converted_enterprise), in its order. */
    static final List<String> UFM_COLUMNS = List.of("Infiniband_MBOut_u_Gb", "Infiniband_MBIn_u_Gb",
            "Infiniband_PckOut_u_Packets", "Infiniband_PckIn_u_Packets", "Infiniband_SymbolErrors_u_Errors",
            "Infiniband_LinkRecovers_u_Errors", "Infiniband_LinkDowned_u_Errors", "Infiniband_RcvErrors_u_Errors",
            "Infiniband_RcvRemotePhysErrors_u_Errors", "Infiniband_RcvSwRelayErrors_u_Errors",
            "Infiniband_XmtDiscards_u_Errors", "Infiniband_XmtConstraintErrors_u_Errors",
            "Infiniband_RcvConstraintErrors_u_Errors", "Infiniband_LinkIntegrityErrors_u_Errors",
            "Infiniband_ExcBufOverrunErrors_u_Errors", "Infiniband_VL15Dropped_u_Drops", "Infiniband_XmitWait_u_Ticks",
            "hist0_u_count", "hist1_u_count", "hist2_u_count", "hist3_u_count", "hist4_u_count",
            "Infiniband_CBW_f_u_Gbps", "Infiniband_Normalized_CBW_f_u_Percent",
            "Infiniband_Normalized_MBOut_f_u_Percent");

    /** Counters as the default METRICS_COUNTERS globs match them: every column but the _f_u_ gauges. */
    static boolean defaultCounter(String column) {
        return !column.contains("_f_u_");
    }

    @Test
    void everyUfmColumnGetsItsDocumentedNameTypeAndFactor() {
        Map<String, String> written = new LinkedHashMap<>();
        for (String column : UFM_COLUMNS) {
            FabricSeries series = FabricSeries.forPortColumn(column, defaultCounter(column));
            // as the text format writes it: a counter with its _total
            written.put(column, series.name() + (series.counter() ? "_total" : "") + " x" + series.factor());
        }
        assertThat(written).containsExactly(
                Map.entry("Infiniband_MBOut_u_Gb", "fabric_port_infiniband_mbout_bytes_total x1.0"),
                Map.entry("Infiniband_MBIn_u_Gb", "fabric_port_infiniband_mbin_bytes_total x1.0"),
                Map.entry("Infiniband_PckOut_u_Packets", "fabric_port_infiniband_pck_out_total x1.0"),
                Map.entry("Infiniband_PckIn_u_Packets", "fabric_port_infiniband_pck_in_total x1.0"),
                Map.entry("Infiniband_SymbolErrors_u_Errors", "fabric_port_infiniband_symbol_errors_total x1.0"),
                Map.entry("Infiniband_LinkRecovers_u_Errors", "fabric_port_infiniband_link_recovers_total x1.0"),
                Map.entry("Infiniband_LinkDowned_u_Errors", "fabric_port_infiniband_link_downed_total x1.0"),
                Map.entry("Infiniband_RcvErrors_u_Errors", "fabric_port_infiniband_rcv_errors_total x1.0"),
                Map.entry("Infiniband_RcvRemotePhysErrors_u_Errors",
                        "fabric_port_infiniband_rcv_remote_phys_errors_total x1.0"),
                Map.entry("Infiniband_RcvSwRelayErrors_u_Errors", "fabric_port_infiniband_rcv_sw_relay_errors_total x1.0"),
                Map.entry("Infiniband_XmtDiscards_u_Errors", "fabric_port_infiniband_xmt_discards_total x1.0"),
                Map.entry("Infiniband_XmtConstraintErrors_u_Errors",
                        "fabric_port_infiniband_xmt_constraint_errors_total x1.0"),
                Map.entry("Infiniband_RcvConstraintErrors_u_Errors",
                        "fabric_port_infiniband_rcv_constraint_errors_total x1.0"),
                Map.entry("Infiniband_LinkIntegrityErrors_u_Errors",
                        "fabric_port_infiniband_link_integrity_errors_total x1.0"),
                Map.entry("Infiniband_ExcBufOverrunErrors_u_Errors",
                        "fabric_port_infiniband_exc_buf_overrun_errors_total x1.0"),
                Map.entry("Infiniband_VL15Dropped_u_Drops", "fabric_port_infiniband_vl15_dropped_total x1.0"),
                Map.entry("Infiniband_XmitWait_u_Ticks", "fabric_port_infiniband_xmit_wait_total x1.0"),
                Map.entry("hist0_u_count", "fabric_port_hist0_total x1.0"),
                Map.entry("hist1_u_count", "fabric_port_hist1_total x1.0"),
                Map.entry("hist2_u_count", "fabric_port_hist2_total x1.0"),
                Map.entry("hist3_u_count", "fabric_port_hist3_total x1.0"),
                Map.entry("hist4_u_count", "fabric_port_hist4_total x1.0"),
                Map.entry("Infiniband_CBW_f_u_Gbps", "fabric_port_infiniband_cbw_bytes_per_second x1.25E8"),
                Map.entry("Infiniband_Normalized_CBW_f_u_Percent", "fabric_port_infiniband_normalized_cbw_ratio x0.01"),
                Map.entry("Infiniband_Normalized_MBOut_f_u_Percent",
                        "fabric_port_infiniband_normalized_mbout_ratio x0.01"));
    }

    @Test
    void typeFollowsTheCountersSettingNotTheName() {
        assertThat(FabricSeries.forPortColumn("Infiniband_SymbolErrors_u_Errors", false).counter()).isFalse();
        assertThat(FabricSeries.forPortColumn("Infiniband_CBW_f_u_Gbps", true).counter()).isTrue();
    }

    @Test
    void helpNamesTheColumnAndItsUnit() {
        assertThat(FabricSeries.forPortColumn("Infiniband_MBOut_u_Gb", true).help())
                .isEqualTo("Counter of each port, from CSV column Infiniband_MBOut_u_Gb (Gb, which holds bytes)");
        assertThat(FabricSeries.forPortColumn("Infiniband_CBW_f_u_Gbps", false).help())
                .isEqualTo("Value of each port, from CSV column Infiniband_CBW_f_u_Gbps (Gbps, exported in bytes per second)");
        assertThat(FabricSeries.forPortColumn("Size_u_Bytes", false).help())
                .isEqualTo("Value of each port, from CSV column Size_u_Bytes (Bytes, exported in bytes)");
        assertThat(FabricSeries.forPortColumn("Infiniband_XmitWait_u_Ticks", true).help())
                .isEqualTo("Counter of each port, from CSV column Infiniband_XmitWait_u_Ticks (Ticks)");
        assertThat(FabricSeries.forPortColumn("Infiniband_Normalized_CBW_f_u_Percent", false).help())
                .isEqualTo("Value of each port, from CSV column Infiniband_Normalized_CBW_f_u_Percent"
                        + " (Percent, exported in ratio)");
    }

    @Test
    void unitsAreCaseSensitiveAsUfmWritesThem() {
        assertThat(FabricSeries.forPortColumn("Buffer_u_GB", false)).extracting(FabricSeries::name, FabricSeries::factor)
                .containsExactly("fabric_port_buffer_bytes", 1e9);
        // UFM's _u_Gb counters hold bytes (its public sample: 288 a packet)
        assertThat(FabricSeries.forPortColumn("Buffer_u_Gb", false)).extracting(FabricSeries::name, FabricSeries::factor)
                .containsExactly("fabric_port_buffer_bytes", 1.0);
        assertThat(FabricSeries.forPortColumn("Rate_u_Gbps", false)).extracting(FabricSeries::name, FabricSeries::factor)
                .containsExactly("fabric_port_rate_bytes_per_second", 1.25e8);
        assertThat(FabricSeries.forPortColumn("Delay_u_us", false)).extracting(FabricSeries::name, FabricSeries::factor)
                .containsExactly("fabric_port_delay_seconds", 1e-6);
        assertThat(FabricSeries.forPortColumn("Temp_u_C", false).name()).isEqualTo("fabric_port_temp_celsius");
    }

    @Test
    void columnsWithoutAUnitAreSnakeCasedAndSanitisedAsSwitchColumnsAre() {
        assertThat(FabricSeries.forPortColumn("port_state", false).name()).isEqualTo("fabric_port_port_state");
        assertThat(FabricSeries.forPortColumn("PhysState", false).name()).isEqualTo("fabric_port_phys_state");
        assertThat(FabricSeries.forPortColumn("fan-speed rpm", false).name()).isEqualTo("fabric_port_fan_speed_rpm");
        // reserved suffixes are dropped: a counter gets its _total back when written
        assertThat(FabricSeries.forPortColumn("crc_errors_total", true).name()).isEqualTo("fabric_port_crc_errors");
        // "_u_" at either end is no unit
        assertThat(FabricSeries.forPortColumn("_u_Errors", false).name()).isEqualTo("fabric_port__u_errors");
        assertThat(FabricSeries.forPortColumn("Errors_u_", false).name()).isEqualTo("fabric_port_errors_u_");
    }

    @Test
    void columnOfNoUsableNameIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FabricSeries.forPortColumn("_total", false));
    }
}
