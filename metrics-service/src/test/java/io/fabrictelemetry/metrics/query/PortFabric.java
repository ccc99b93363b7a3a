package io.fabrictelemetry.metrics.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.ingest.CsvPayloads;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * A small fabric of port rows written as UFM Telemetry writes them (µs timestamps, {@code 0x…}
 * GUIDs, an empty {@code tag}, an exponent decimal), for the API's tests:
 *
 * <pre>
 * switch     description  port  PckIn  SymbolErrors  CBW (gauge)   timestamp
 * A ...b2c3  leaf-01       1    1000    0            5.48295e-7    new
 *                          2    2500    3            12.5          new
 *                         23    -      18            -             old (a minute before)
 * B ...E5F6  spine-01      1       7   18            3.0           new   (GUID written upper-case)
 *                          2       9    -            1.5           new
 * C ...0c0c  (none)        5       1    1            0.5           new
 * D ...0d0d  spine-x       1       4    0            1.0           new
 * E ...0e0e  spine-x       1       4    2            1.0           new   (a description two switches share)
 * </pre>
 * Aggregates of A: PckIn 3500 (sum, 2 ports), SymbolErrors 21 (sum, 3 ports), CBW 12.5 (max, 2 ports),
 * sampledAt the old time. The default counters make {@code *_u_Packets} and {@code *_u_Errors} counters.
 */
public final class PortFabric {

    public static final String A = "0x0002c90300a1b2c3";
    public static final String B = "0x0002C90300D4E5F6";
    public static final String C = "0x0002c90300000c0c";
    public static final String D = "0x0002c90300000d0d";
    public static final String E = "0x0002c90300000e0e";
    public static final String PCK_IN = "Infiniband_PckIn_u_Packets";
    public static final String SYMBOL_ERRORS = "Infiniband_SymbolErrors_u_Errors";
    public static final String CBW = "Infiniband_CBW_f_u_Gbps";

    /** When the newer rows were sampled (whole milliseconds, as the answers write them). */
    public final Instant sampledAt;
    /** When port 23 of A was sampled: a minute before. */
    public final Instant oldAt;
    public final Snapshot snapshot;

    private PortFabric(Instant sampledAt, Instant oldAt, Snapshot snapshot) {
        this.sampledAt = sampledAt;
        this.oldAt = oldAt;
        this.snapshot = snapshot;
    }

    public static String csv(Instant sampledAt, Instant oldAt) {
        String now = micros(sampledAt);
        String old = micros(oldAt);
        return "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description," + PCK_IN + "," + SYMBOL_ERRORS
                + "," + CBW + "\n"
                + now + ",10.0.0.1,," + A + "," + A + ",1,leaf-01,1000,0,5.48295e-7\n"
                + now + ",10.0.0.1,," + A + "," + A + ",2,leaf-01,2500,3,12.5\n"
                + old + ",10.0.0.1,," + A + "," + A + ",23,leaf-01,,18,\n"
                + now + ",10.0.0.1,," + B + "," + B + ",1,spine-01,7,18,3.0\n"
                + now + ",10.0.0.1,," + B + "," + B + ",2,spine-01,9,,1.5\n"
                + now + ",10.0.0.1,," + C + "," + C + ",5,,1,1,0.5\n"
                + now + ",10.0.0.1,," + D + "," + D + ",1,spine-x,4,0,1.0\n"
                + now + ",10.0.0.1,," + E + "," + E + ",1,spine-x,4,2,1.0\n";
    }

    /** Publishes the fabric, its newer rows sampled 1.5 s ago. */
    public static PortFabric publish(SnapshotStore store) {
        Instant sampledAt = Instant.now().minusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        Instant oldAt = sampledAt.minusSeconds(60);
        Snapshot snapshot = store.publish(PortFabric.table(csv(sampledAt, oldAt)), sampledAt, Instant.now(), null);
        return new PortFabric(sampledAt, oldAt, snapshot);
    }

    /** The table of a payload, parsed as the poll loop parses it. */
    public static Table table(String csv) {
        return CsvPayloads.parse(csv.getBytes(StandardCharsets.UTF_8), null);
    }

    public String iso(Instant instant) {
        return TimeFormat.iso(instant);
    }

    public String collectedAt() {
        return TimeFormat.iso(snapshot.collectedAt());
    }

    private static String micros(Instant instant) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
    }
}
