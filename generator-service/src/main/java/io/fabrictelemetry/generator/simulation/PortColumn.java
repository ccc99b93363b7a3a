package io.fabrictelemetry.generator.simulation;

/**
 * The metric columns of {@code /csv/metrics}, in the order and with the names of UFM Telemetry's
 * high-frequency counter set ({@code converted_enterprise}): names carry their unit after
 * {@code _u_}; {@code _f_} marks a computed (floating) value. The first {@link #COUNTERS} are
 * cumulative integer counters kept per port; the last three are gauges of the last period.
 */
public enum PortColumn {
    MB_OUT("Infiniband_MBOut_u_Gb"),
    MB_IN("Infiniband_MBIn_u_Gb"),
    PCK_OUT("Infiniband_PckOut_u_Packets"),
    PCK_IN("Infiniband_PckIn_u_Packets"),
    SYMBOL_ERRORS("Infiniband_SymbolErrors_u_Errors"),
    LINK_RECOVERS("Infiniband_LinkRecovers_u_Errors"),
    LINK_DOWNED("Infiniband_LinkDowned_u_Errors"),
    RCV_ERRORS("Infiniband_RcvErrors_u_Errors"),
    RCV_REMOTE_PHYS_ERRORS("Infiniband_RcvRemotePhysErrors_u_Errors"),
    RCV_SW_RELAY_ERRORS("Infiniband_RcvSwRelayErrors_u_Errors"),
    XMT_DISCARDS("Infiniband_XmtDiscards_u_Errors"),
    XMT_CONSTRAINT_ERRORS("Infiniband_XmtConstraintErrors_u_Errors"),
    RCV_CONSTRAINT_ERRORS("Infiniband_RcvConstraintErrors_u_Errors"),
    LINK_INTEGRITY_ERRORS("Infiniband_LinkIntegrityErrors_u_Errors"),
    EXC_BUF_OVERRUN_ERRORS("Infiniband_ExcBufOverrunErrors_u_Errors"),
    VL15_DROPPED("Infiniband_VL15Dropped_u_Drops"),
    XMIT_WAIT("Infiniband_XmitWait_u_Ticks"),
    HIST0("hist0_u_count"),
    HIST1("hist1_u_count"),
    HIST2("hist2_u_count"),
    HIST3("hist3_u_count"),
    HIST4("hist4_u_count"),
    CBW("Infiniband_CBW_f_u_Gbps"),
    NORMALIZED_CBW("Infiniband_Normalized_CBW_f_u_Percent"),
    NORMALIZED_MB_OUT("Infiniband_Normalized_MBOut_f_u_Percent");

    /** Columns {@code [0, COUNTERS)} are counters, the rest gauges. */
    public static final int COUNTERS = 22;

    /** The identity columns that precede the metrics, as UFM Telemetry writes them. */
    public static final String IDENTITY_HEADER =
            "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description";

    private final String columnName;

    PortColumn(String columnName) {
        this.columnName = columnName;
    }

    public String columnName() {
        return columnName;
    }

    public boolean isCounter() {
        return ordinal() < COUNTERS;
    }

    /** The whole header line of {@code /csv/metrics}, without its line end. */
    public static String header() {
        StringBuilder header = new StringBuilder(IDENTITY_HEADER);
        for (PortColumn column : values()) {
            header.append(',').append(column.columnName);
        }
        return header.toString();
    }
}
