package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/** Port rows (UFM Telemetry's layout): recognised from the header, read into switch aggregates and a port view. */
class PortRowsTests {

    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static final String HEADER = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
            + "Infiniband_PckIn_u_Packets,Infiniband_SymbolErrors_u_Errors,Infiniband_CBW_f_u_Gbps\n";

    private static SnapshotStore store() {
        return new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)), CounterProperties.defaults());
    }

    private static Table parse(String csv) {
        return CsvPayloadParser.parse(csv.getBytes(StandardCharsets.UTF_8));
    }

    private static Snapshot publish(SnapshotStore store, String csv, Instant sampledAt) {
        return store.publish(CsvPayloadParser.parse(csv.getBytes(StandardCharsets.UTF_8), store.current()), sampledAt,
                sampledAt, null);
    }

    private static Object value(Snapshot snapshot, String switchId, String metric) {
        int row = snapshot.switchRow(switchId);
        int column = snapshot.metricColumn(metric);
        return switch (snapshot.cellKind(row, column)) {
            case CellKind.INTEGER -> snapshot.cellBits(row, column);
            case CellKind.DECIMAL -> Double.longBitsToDouble(snapshot.cellBits(row, column));
            default -> null;
        };
    }

    private static Object portValue(Snapshot snapshot, String switchId, int port, String metric) {
        PortView ports = snapshot.ports();
        int row = ports.portRow(snapshot.switchRow(switchId), port);
        int column = snapshot.metricColumn(metric);
        return switch (ports.cellKind(row, column)) {
            case CellKind.INTEGER -> ports.cellBits(row, column);
            case CellKind.DECIMAL -> Double.longBitsToDouble(ports.cellBits(row, column));
            default -> null;
        };
    }

    @Test
    void headerWithNodeGuidAndPortNumIsReadAsPortRowsWhoseIdentityColumnsAreNoMetrics() {
        Table table = parse("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,sys_image_guid,"
                + "aport,port_label,m_label,status_message,Device_ID,device_id,switch_serial_number,switch_part_number,"
                + "mvcr_sensor_name,mtmp_sensor_name,zeta,alpha\n"
                + "1,src,,0xa,0xa,1,sw-a,0x1,1,l,m,ok,d,d,s,p,v,t,5,6\n");
        assertThat(table.ports()).isNotNull();
        assertThat(table.metrics()).containsExactly("zeta", "alpha");
        assertThat(table.switchIds()).containsExactly("0xa");
        assertThat(table.ports().portCount()).isEqualTo(1);
    }

    @Test
    void pdrSimulatorsSpellingNodeGuidAndPortNumberIsPortRowsToo() {
        Table table = parse("Node_GUID,Port_Number,x\n0xb,3,7\n");
        assertThat(table.ports()).isNotNull();
        assertThat(table.metrics()).containsExactly("x");
        assertThat(table.ports().portNumber(0)).isEqualTo(3);
    }

    @Test
    void headerWithNeitherLayoutIsRefusedNamingBoth() {
        assertThatExceptionOfType(PayloadRejectedException.class).isThrownBy(() -> parse("node_guid,x\n0xa,1\n"))
                .withMessageContaining("'switch_id'").withMessageContaining("'port_num'");
    }

    @Test
    void switchAggregateSumsCountersTakesTheMaximumOfOtherMetricsAndSkipsPortsWithoutAValue() {
        Snapshot snapshot = publish(store(), HEADER
                + "1,s,,0xa,0xa,1,sw-a,10,1,0.5\n"
                + "1,s,,0xa,0xa,2,sw-a,,2,2.25\n"
                + "1,s,,0xa,0xa,3,sw-a,32,,\n"
                + "1,s,,0xb,0xb,1,sw-b,,,\n", T0);
        assertThat(snapshot.switchCount()).isEqualTo(2);
        assertThat(value(snapshot, "0xa", "Infiniband_PckIn_u_Packets")).isEqualTo(42L);
        assertThat(value(snapshot, "0xa", "Infiniband_SymbolErrors_u_Errors")).isEqualTo(3L);
        assertThat(value(snapshot, "0xa", "Infiniband_CBW_f_u_Gbps")).isEqualTo(2.25);
        assertThat(value(snapshot, "0xb", "Infiniband_PckIn_u_Packets")).isNull();
        int a = snapshot.switchRow("0xa");
        assertThat(snapshot.aggregatedPorts(a, snapshot.metricColumn("Infiniband_PckIn_u_Packets"))).isEqualTo(2);
        assertThat(snapshot.aggregatedPorts(a, snapshot.metricColumn("Infiniband_CBW_f_u_Gbps"))).isEqualTo(2);
        assertThat(snapshot.aggregatedPorts(snapshot.switchRow("0xb"), 0)).isZero();
        assertThat(snapshot.isSum(snapshot.metricColumn("Infiniband_PckIn_u_Packets"))).isTrue();
        assertThat(snapshot.isSum(snapshot.metricColumn("Infiniband_CBW_f_u_Gbps"))).isFalse();
        assertThat(snapshot.isSum(snapshot.metricColumn("Infiniband_PckIn_u_Packets_per_second"))).isTrue();
        assertThat(snapshot.description(a)).isEqualTo("sw-a");
        assertThat(portValue(snapshot, "0xa", 3, "Infiniband_PckIn_u_Packets")).isEqualTo(32L);
        assertThat(portValue(snapshot, "0xa", 2, "Infiniband_PckIn_u_Packets")).isNull();
    }

    @Test
    void aggregateOfDecimalsAndIntegersIsTheirSumAsADecimal() {
        Snapshot snapshot = publish(store(), HEADER
                + "1,s,,0xa,0xa,1,sw-a,10,1.5,0.5\n"
                + "1,s,,0xa,0xa,2,sw-a,5,2,1\n", T0);
        assertThat(value(snapshot, "0xa", "Infiniband_SymbolErrors_u_Errors")).isEqualTo(3.5);
        assertThat(value(snapshot, "0xa", "Infiniband_CBW_f_u_Gbps")).isEqualTo(1L);
    }

    @Test
    void portsAreGroupedBySwitchInOrderOfFirstAppearanceAndInSourceOrderWithinASwitch() {
        Snapshot snapshot = publish(store(), HEADER
                + "1,s,,0xb,0xb,2,sw-b,1,0,0\n"
                + "1,s,,0xa,0xa,7,sw-a,2,0,0\n"
                + "1,s,,0xb,0xb,1,sw-b,3,0,0\n"
                + "1,s,,0xa,0xa,5,sw-a,4,0,0\n", T0);
        PortView ports = snapshot.ports();
        assertThat(snapshot.switchId(0)).isEqualTo("0xb");
        assertThat(snapshot.switchId(1)).isEqualTo("0xa");
        assertThat(ports.portCount()).isEqualTo(4);
        assertThat(ports.firstPort(0)).isZero();
        assertThat(ports.endPort(0)).isEqualTo(2);
        assertThat(ports.firstPort(1)).isEqualTo(2);
        assertThat(ports.endPort(1)).isEqualTo(4);
        assertThat(List.of(ports.portNumber(0), ports.portNumber(1), ports.portNumber(2), ports.portNumber(3)))
                .containsExactly(2, 1, 7, 5);
        assertThat(ports.switchRowOf(3)).isEqualTo(1);
        assertThat(ports.portRow(0, 1)).isEqualTo(1);
        assertThat(ports.portRow(1, 5)).isEqualTo(3);
        assertThat(ports.portRow(1, 7)).isEqualTo(2);
        assertThat(ports.portRow(1, 6)).isEqualTo(-1);
        assertThat(portValue(snapshot, "0xa", 5, "Infiniband_PckIn_u_Packets")).isEqualTo(4L);
        assertThat(value(snapshot, "0xb", "Infiniband_PckIn_u_Packets")).isEqualTo(4L);
    }

    @Test
    void switchIsFoundByItsGuidInAnyCaseOrByADescriptionThatNamesOnlyIt() {
        Snapshot snapshot = publish(store(), HEADER
                + "1,s,,0xAB,0xAB,1,leaf-1,1,0,0\n"
                + "1,s,,0xcd,0xcd,1,spine,1,0,0\n"
                + "1,s,,0xef,0xef,1,spine,1,0,0\n", T0);
        assertThat(snapshot.switchRow("0xAB")).isZero();
        assertThat(snapshot.switchRow("0xab")).isZero();
        assertThat(snapshot.switchRow("0XCD")).isEqualTo(1);
        assertThat(snapshot.switchRow("leaf-1")).isZero();
        assertThat(snapshot.switchRow("spine")).isEqualTo(-1); // two switches have it
        assertThat(snapshot.switchRow("0x12")).isEqualTo(-1);
        assertThat(snapshot.switchId(0)).isEqualTo("0xAB"); // as the source wrote it
        assertThat(snapshot.description(1)).isEqualTo("spine");
    }

    @Test
    void switchRowsHaveNoPortsNoDescriptionsAndTakeNoAliases() {
        Snapshot snapshot = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(
                parse("switch_id,packet_errors,latency_us\nSW-1,1,2\n"), T0, T0, null);
        assertThat(snapshot.ports()).isNull();
        assertThat(snapshot.description(0)).isNull();
        assertThat(snapshot.switchRow("sw-1")).isEqualTo(-1);
        assertThat(snapshot.isSum(0)).isTrue();
        assertThat(snapshot.isSum(1)).isFalse();
    }

    @Test
    void portRatesAreEachPortsAndTheAggregatesRateIsTheSumOfItsPorts() {
        SnapshotStore store = store();
        long t0 = T0.toEpochMilli() * 1000;
        long t1 = t0 + 10_000_000;
        publish(store, HEADER
                + t0 + ",s,,0xa,0xa,1,sw-a,100,0,1\n"
                + t0 + ",s,,0xa,0xa,2,sw-a,1000,5,1\n"
                + t0 + ",s,,0xa,0xa,3,sw-a,,5,1\n", T0);
        Snapshot next = publish(store, HEADER
                + t1 + ",s,,0xa,0xa,1,sw-a,300,0,1\n"
                + t1 + ",s,,0xa,0xa,2,sw-a,10,6,1\n" // reset: counts from zero
                + t1 + ",s,,0xa,0xa,3,sw-a,7,5,1\n", T0.plusSeconds(10));
        String rate = "Infiniband_PckIn_u_Packets_per_second";
        assertThat(portValue(next, "0xa", 1, rate)).isEqualTo(20.0);
        assertThat(portValue(next, "0xa", 2, rate)).isEqualTo(1.0);
        assertThat(portValue(next, "0xa", 3, rate)).isNull();
        assertThat(value(next, "0xa", rate)).isEqualTo(21.0);
        assertThat(next.aggregatedPorts(0, next.metricColumn(rate))).isEqualTo(2);
        assertThat(value(next, "0xa", "Infiniband_SymbolErrors_u_Errors_per_second")).isEqualTo(0.1);
        assertThat(next.metricColumn("Infiniband_CBW_f_u_Gbps_per_second")).isEqualTo(-1); // a gauge
    }

    @Test
    void repeatedPortAndRowsNamingNoPortAreRejectedRows() {
        Snapshot snapshot = publish(store(), HEADER
                + "1,s,,0xa,0xa,1,sw-a,1,0,0\n"
                + "1,s,,0xa,0xa,1,sw-a,2,0,0\n" // repeated port
                + "1,s,,,0xa,2,sw-a,3,0,0\n" // blank GUID
                + "1,s,,0xzz,0xa,2,sw-a,3,0,0\n" // malformed GUID
                + "1,s,,0xa,0xa,,sw-a,3,0,0\n" // blank port
                + "1,s,,0xa,0xa,two,sw-a,3,0,0\n" // malformed port
                + "1,s,,0xa,0xa,-2,sw-a,3,0,0\n", T0);
        assertThat(snapshot.rejectedRows()).isEqualTo(6);
        assertThat(snapshot.ports().portCount()).isEqualTo(1);
        assertThat(value(snapshot, "0xa", "Infiniband_PckIn_u_Packets")).isEqualTo(1L);
    }

    @Test
    void listMetricsHoldsTheAggregatesThenThePortsThenTheDescriptions() {
        Snapshot snapshot = publish(new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)),
                new CounterProperties(List.of("*_u_Packets"))), "node_guid,port_num,node_description,p_u_Packets,g\n"
                + "0xa,1,\"leaf \"\"1\"\"\",1,0.5\n"
                + "0xa,2,\"leaf \"\"1\"\"\",2,\n"
                + "0xb,1,,3,4\n", T0);
        assertThat(new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8)).isEqualTo("{\"sequence\":1,"
                + "\"sampledAt\":\"2026-12-07T06:00:00.000Z\",\"collectedAt\":\"2026-12-07T06:00:00.000Z\","
                + "\"metrics\":[\"p_u_Packets\",\"g\",\"p_u_Packets_per_second\"],"
                + "\"switches\":{\"0xa\":{\"p_u_Packets\":3,\"g\":0.5,\"p_u_Packets_per_second\":null},"
                + "\"0xb\":{\"p_u_Packets\":3,\"g\":4,\"p_u_Packets_per_second\":null}},"
                + "\"ports\":{\"0xa\":{\"1\":{\"p_u_Packets\":1,\"g\":0.5,\"p_u_Packets_per_second\":null},"
                + "\"2\":{\"p_u_Packets\":2,\"g\":null,\"p_u_Packets_per_second\":null}},"
                + "\"0xb\":{\"1\":{\"p_u_Packets\":3,\"g\":4,\"p_u_Packets_per_second\":null}}},"
                + "\"descriptions\":{\"0xa\":\"leaf \\\"1\\\"\"}}");
    }

    @Test
    void listMetricsHasNoDescriptionsWhenNoneIsKnown() {
        Snapshot snapshot = publish(store(), "node_guid,port_num,x\n0xa,1,1\n", T0);
        assertThat(new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8))
                .endsWith("\"ports\":{\"0xa\":{\"1\":{\"x\":1}}}}");
    }

    @Test
    void sampledAtIsTheHeaderElseTheNewestRowTimestampElseTheArrival() {
        Instant arrival = Instant.parse("2026-12-07T06:30:00Z");
        Table timed = parse("timestamp,node_guid,port_num,x\n1709652347161873,0xa,1,1\n1709652349000001,0xa,2,1\n"
                + "1709652340000000,0xb,1,1\n");
        assertThat(PollLoop.sampledAt("2026-12-07T06:00:00Z", timed, arrival)).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
        assertThat(PollLoop.sampledAt(null, timed, arrival)).isEqualTo(Instant.parse("2024-03-05T15:25:49.000001Z"));
        assertThat(PollLoop.sampledAt("not a time", timed, arrival)).isEqualTo(Instant.parse("2024-03-05T15:25:49.000001Z"));
        assertThat(PollLoop.sampledAt(null, parse("timestamp,node_guid,port_num,x\n,0xa,1,1\n"), arrival)).isEqualTo(arrival);
        assertThat(PollLoop.sampledAt(null, parse("node_guid,port_num,x\n0xa,1,1\n"), arrival)).isEqualTo(arrival);
        assertThat(PollLoop.sampledAt(null, parse("switch_id,x\nsw-1,1\n"), arrival)).isEqualTo(arrival);
    }

    @Test
    void aPortAnswersWithItsRowsTimeAndASwitchAggregateWithItsOldestPorts() {
        Instant sampledAt = Instant.parse("2026-12-07T06:00:10Z");
        Snapshot snapshot = publish(store(), "timestamp,node_guid,port_num,x\n"
                + (sampledAt.toEpochMilli() * 1000 - 2_500_000) + ",0xa,1,1\n"
                + (sampledAt.toEpochMilli() * 1000) + ",0xa,2,1\n"
                + ",0xb,1,1\n", sampledAt);
        PortView ports = snapshot.ports();
        assertThat(ports.sampledAt(0)).isEqualTo(Instant.parse("2026-12-07T06:00:07.500Z"));
        assertThat(ports.sampledAtText(1)).isEqualTo("2026-12-07T06:00:10.000Z");
        assertThat(ports.sampledAt(2)).isEqualTo(sampledAt); // no timestamp: the payload's
        assertThat(snapshot.sampledAt("0xa")).isEqualTo(Instant.parse("2026-12-07T06:00:07.500Z"));
        assertThat(snapshot.sampledAtText("0xa")).isEqualTo("2026-12-07T06:00:07.500Z");
        assertThat(snapshot.sampledAt("0xb")).isEqualTo(sampledAt);
        assertThat(snapshot.sampledAtText("0XA")).isEqualTo("2026-12-07T06:00:07.500Z");
    }

    private static final String SMALL = "timestamp,node_guid,port_num,node_description,c_u_Errors,g\n";

    private static String row(Instant at, String guid, int port, String rest) {
        return (at.toEpochMilli() * 1000) + "," + guid + "," + port + ",sw," + rest + "\n";
    }

    @Test
    void damagedPortRowCarriesThatPortsPreviousValuesOverWithTheirTime() {
        SnapshotStore store = store();
        Instant t1 = T0;
        Instant t2 = T0.plusSeconds(10);
        publish(store, SMALL + row(t1, "0xa", 1, "10,1.5") + row(t1, "0xa", 2, "20,2.5") + row(t1, "0xb", 1, "30,3"), t1);
        Snapshot next = publish(store, SMALL
                + row(t2, "0xa", 1, "11,1.0")
                + (t2.toEpochMilli() * 1000) + ",0xa,2,sw,21\n" // a cell short: damaged, names port 2
                + row(t2, "0xb", 1, "31,3"), t2);
        PortView ports = next.ports();
        assertThat(next.rejectedRows()).isEqualTo(1);
        assertThat(ports.portCount()).isEqualTo(3);
        int carried = ports.portRow(next.switchRow("0xa"), 2);
        assertThat(carried).isEqualTo(1); // in its place
        assertThat(ports.carriedOver(carried)).isTrue();
        assertThat(ports.carriedOver(0)).isFalse();
        assertThat(portValue(next, "0xa", 2, "c_u_Errors")).isEqualTo(20L);
        assertThat(portValue(next, "0xa", 2, "g")).isEqualTo(2.5);
        assertThat(portValue(next, "0xa", 2, "c_u_Errors_per_second")).isNull(); // no new value, no rate
        assertThat(ports.sampledAt(carried)).isEqualTo(t1);
        assertThat(value(next, "0xa", "c_u_Errors")).isEqualTo(31L); // the aggregate counts the carried value
        assertThat(value(next, "0xa", "c_u_Errors_per_second")).isEqualTo(0.1);
        assertThat(next.sampledAt("0xa")).isEqualTo(t1); // its oldest port
        assertThat(next.carriedOver()).containsOnlyKeys("0xa");
        assertThat(new String(next.listMetricsJson(), StandardCharsets.UTF_8))
                .contains(",\"carriedOver\":{\"0xa\":\"2026-12-07T06:00:00.000Z\"},\"ports\":");
    }

    @Test
    void damagedPortRowOfAPortNeverSeenBeforeIsNotInventedNorItsSwitch() {
        SnapshotStore store = store();
        publish(store, SMALL + row(T0, "0xa", 1, "10,1"), T0);
        Snapshot next = publish(store, SMALL + row(T0.plusSeconds(10), "0xa", 1, "11,1")
                + "1,0xa,2,sw,21\n" + "1,0xc,1,sw,21\n", T0.plusSeconds(10));
        assertThat(next.rejectedRows()).isEqualTo(2);
        assertThat(next.ports().portCount()).isEqualTo(1);
        assertThat(next.switchCount()).isEqualTo(1);
        assertThat(next.switchRow("0xc")).isEqualTo(-1);
        Snapshot first = publish(store(), SMALL + row(T0, "0xa", 1, "10,1") + "1,0xa,2,sw,21\n", T0);
        assertThat(first.ports().portCount()).isEqualTo(1); // no previous snapshot: nothing to carry
    }

    @Test
    void carriedPortOlderThanStaleAfterStaysListedWithoutReadings() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)), CounterProperties.defaults());
        publish(store, SMALL + row(T0, "0xa", 1, "10,1") + row(T0, "0xa", 2, "20,2"), T0);
        Instant later = T0.plusSeconds(60);
        Snapshot next = publish(store, SMALL + row(later, "0xa", 1, "11,1") + "1,0xa,2,sw\n", later);
        int carried = next.ports().portRow(0, 2);
        assertThat(next.ports().carriedOver(carried)).isTrue();
        assertThat(next.ports().sampledAt(carried)).isEqualTo(T0);
        assertThat(portValue(next, "0xa", 2, "c_u_Errors")).isNull();
        assertThat(value(next, "0xa", "c_u_Errors")).isEqualTo(11L);
    }

    @Test
    void damagedRowThenAnIntactRowOfTheSamePortKeepsTheIntactOne() {
        SnapshotStore store = store();
        publish(store, SMALL + row(T0, "0xa", 1, "10,1"), T0);
        Instant t2 = T0.plusSeconds(10);
        Snapshot next = publish(store, SMALL + "1,0xa,1,sw,5\n" + row(t2, "0xb", 1, "7,7") + row(t2, "0xa", 1, "12,1"), t2);
        assertThat(next.rejectedRows()).isEqualTo(1);
        assertThat(next.ports().portCount()).isEqualTo(2);
        assertThat(next.switchId(0)).isEqualTo("0xa"); // first seen in the damaged row
        assertThat(portValue(next, "0xa", 1, "c_u_Errors")).isEqualTo(12L);
        assertThat(next.ports().carriedOver(0)).isFalse();
        assertThat(portValue(next, "0xa", 1, "c_u_Errors_per_second")).isEqualTo(0.2);
    }

    @Test
    void rowCutShortAtTheEndOfTheBodyIsDamagedAndCarriedWhenItsIdentityCameWhole() {
        SnapshotStore store = store();
        publish(store, SMALL + row(T0, "0xa", 1, "10,1") + row(T0, "0xa", 2, "20,2") + row(T0, "0xa", 3, "30,3"), T0);
        Instant t2 = T0.plusSeconds(10);
        Snapshot next = publish(store, SMALL + row(t2, "0xa", 1, "11,1") + (t2.toEpochMilli() * 1000) + ",0xa,2,sw,2", t2);
        assertThat(next.rejectedRows()).isEqualTo(1);
        assertThat(next.ports().portCount()).isEqualTo(2);
        assertThat(next.ports().carriedOver(1)).isTrue();
        assertThat(portValue(next, "0xa", 2, "c_u_Errors")).isEqualTo(20L);
        Snapshot cut = publish(store, SMALL + row(t2, "0xa", 1, "11,1") + "1,0xa,", t2);
        assertThat(cut.rejectedRows()).isEqualTo(1);
        assertThat(cut.ports().portCount()).isEqualTo(1); // the port number was cut: nothing to carry
    }

    @Test
    void steadyFabricReusesThePreviousSnapshotsIdentityStrings() {
        SnapshotStore store = store();
        Snapshot first = publish(store, SMALL + row(T0, "0xa", 1, "10,1") + row(T0, "0xb", 1, "20,2"), T0);
        Snapshot next = publish(store, SMALL + row(T0.plusSeconds(1), "0xa", 1, "11,1") + row(T0.plusSeconds(1), "0xb", 1, "21,2"),
                T0.plusSeconds(1));
        assertThat(next.switchId(1)).isSameAs(first.switchId(1));
        assertThat(next.description(1)).isSameAs(first.description(1));
    }

    @Test
    void bodyOfManyPortsEncodedOnTwoThreadsIsTheOneThreadWritersByteForByte() {
        // past the two-thread threshold, with switches of uneven port counts, carried ports, rates
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        SnapshotStore store = store();
        for (int generation = 0; generation < 2; generation++) {
            StringBuilder csv = new StringBuilder(SMALL);
            long micros = T0.plusSeconds(10L * generation).toEpochMilli() * 1000;
            int ports = 0;
            for (int s = 0; ports < io.fabrictelemetry.metrics.snapshot.ListMetricsEncoder.PARALLEL_PORTS + 5_000; s++) {
                int count = 1 + random.nextInt(60);
                for (int p = 1; p <= count; p++, ports++) {
                    boolean damaged = generation == 1 && random.nextInt(500) == 0;
                    csv.append(micros).append(",0x").append(Integer.toHexString(0x1000 + s)).append(',').append(p)
                            .append(",d").append(s).append(',').append(random.nextInt(1_000_000) * (generation + 1))
                            .append(damaged ? "" : "," + random.nextInt(1000) / 8.0).append('\n');
                }
            }
            Snapshot snapshot = publish(store, csv.toString(), T0.plusSeconds(10L * generation));
            java.io.ByteArrayOutputStream oneThread = new java.io.ByteArrayOutputStream();
            io.fabrictelemetry.metrics.body.JsonOut out = new io.fabrictelemetry.metrics.body.JsonOut(oneThread);
            io.fabrictelemetry.metrics.snapshot.ListMetricsEncoder.write(out, snapshot, null, null);
            assertThat(snapshot.ports().portCount()).isGreaterThan(io.fabrictelemetry.metrics.snapshot.ListMetricsEncoder.PARALLEL_PORTS);
            assertThat(new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8))
                    .isEqualTo(oneThread.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void bodyOfManyUfmPortsWithEveryKindOfValueIsTheOneThreadWritersByteForByte() {
        // UFM's layout past the two-thread threshold: exponent gauges, plain and long decimals,
        // integers beyond 2^53, negative values, empty and unreadable cells, counters that reset
        // or leap (rates past 9.0e12, written in full), damaged rows carried over, descriptions
        // that need escaping, switches of uneven size; three generations, the third a changed fabric
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        SnapshotStore store = store();
        String header = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
                + "Infiniband_MBOut_u_Gb,Infiniband_PckIn_u_Packets,Infiniband_SymbolErrors_u_Errors,hist0_u_count,"
                + "Infiniband_CBW_f_u_Gbps,Infiniband_Normalized_CBW_f_u_Percent,Temperature\n";
        for (int generation = 0; generation < 3; generation++) {
            StringBuilder csv = new StringBuilder(header);
            long micros = T0.plusSeconds(10L * generation).toEpochMilli() * 1000;
            int ports = 0;
            for (int s = 0; ports < io.fabrictelemetry.metrics.snapshot.ListMetricsEncoder.PARALLEL_PORTS + 3_000; s++) {
                int count = 1 + random.nextInt(48);
                String guid = "0x" + Long.toHexString(0x248a0703000000L + s + (generation == 2 && s % 7 == 0 ? 1_000_000 : 0));
                String description = switch (s % 4) {
                    case 0 -> "leaf-" + s;
                    case 1 -> "\"spine \"\"" + s + "\"\" \u00e9\u4e2d\"";
                    case 2 -> "";
                    default -> "rack\\" + s;
                };
                for (int p = 1; p <= count; p++, ports++) {
                    boolean damaged = generation > 0 && random.nextInt(400) == 0;
                    csv.append(micros + random.nextInt(3)).append(",10.0.0.1:9001,,").append(guid).append(',').append(guid)
                            .append(',').append(p).append(',').append(description);
                    long traffic = 1_000_000L * (s + 1) + p + generation * (long) random.nextInt(5_000_000);
                    csv.append(',').append(switch (random.nextInt(20)) {
                        case 0 -> "";
                        case 1 -> "x";
                        case 2 -> Long.toString(Long.MAX_VALUE - random.nextInt(1000));
                        case 3 -> generation == 1 ? "5" : Long.toString(traffic); // a reset
                        case 4 -> Long.toString(traffic * 1_000_000_000L); // leaps: rates past 9.0e12
                        default -> Long.toString(traffic);
                    });
                    csv.append(',').append(traffic / 3).append(',').append(random.nextInt(50) == 0 ? random.nextInt(9) : 0)
                            .append(',').append(random.nextInt(1000) * (generation + 1));
                    csv.append(',').append(switch (random.nextInt(6)) {
                        case 0 -> random.nextInt(400) + "." + random.nextInt(100);
                        case 1 -> "-" + random.nextInt(10) + "." + random.nextInt(1_000_000);
                        case 2 -> Double.toString(random.nextDouble() * 1e9);
                        case 3 -> "";
                        default -> random.nextInt(1, 10) + "." + random.nextInt(10_000, 99_999) + "e-" + random.nextInt(1, 12);
                    });
                    csv.append(',').append(random.nextInt(1, 10)).append('.').append(random.nextInt(10_000_000))
                            .append('e').append(random.nextInt(-30, 30));
                    csv.append(',').append(damaged ? "" : random.nextDouble() * 100 + "\n");
                }
            }
            Snapshot snapshot = publish(store, csv.toString(), T0.plusSeconds(10L * generation));
            java.io.ByteArrayOutputStream oneThread = new java.io.ByteArrayOutputStream();
            io.fabrictelemetry.metrics.body.JsonOut out = new io.fabrictelemetry.metrics.body.JsonOut(oneThread);
            io.fabrictelemetry.metrics.snapshot.ListMetricsEncoder.write(out, snapshot, null, null);
            assertThat(snapshot.ports().portCount()).isGreaterThan(io.fabrictelemetry.metrics.snapshot.ListMetricsEncoder.PARALLEL_PORTS);
            String body = new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8);
            if (generation > 0) {
                assertThat(body).contains("E-7", "E-1", "spine \\\"", "rack\\\\", "\"carriedOver\"").containsPattern("_per_second\":[0-9]\\.[0-9]+E1[3-9]");
            }
            assertThat(body).isEqualTo(oneThread.toString(StandardCharsets.UTF_8));
        }
    }
}
