package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.PortRows;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * A large payload of port rows read in two halves at once (the second by another thread, applied
 * after the first) is the very table one reader gives it: the same switches in the same order,
 * descriptions, ports, values, placeholders, repeats and counts, whatever straddles the halves.
 */
class PortRowsInTwoHalvesTests {

    private static final String HEADER = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
            + "Infiniband_PckIn_u_Packets,Infiniband_SymbolErrors_u_Errors,Infiniband_CBW_f_u_Gbps,hist0_u_count";

    /**
     * Rows of every kind, spread over the whole payload so that each kind falls in both halves:
     * switches that come back later (ungrouped), a port repeated far from its first row, damaged
     * rows (too few cells) later superseded or not, unreadable GUIDs and port numbers, a
     * description first missing then given, unreadable values, CRLF line ends.
     */
    private static byte[] payload(long seed, String lineEnd, boolean cutShort) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder(HEADER).append(lineEnd);
        long micros = 1_709_652_347_161_873L;
        int switches = 3_000;
        while (csv.length() < CsvPayloadParser.PARALLEL_BYTES + 1_500_000) {
            int s = random.nextInt(10) == 0 ? random.nextInt(switches) : csv.length() / 1_700 % switches;
            String guid = random.nextInt(5_000) == 0 ? "0xzz" : String.format("0x%016x", 0x248a070300a1b200L + s);
            String port = random.nextInt(5_000) == 0 ? "p" : Integer.toString(1 + random.nextInt(40));
            String description = random.nextInt(3) == 0 ? "" : "leaf-" + s + (random.nextInt(50) == 0 ? "-renamed" : "");
            csv.append(micros + random.nextInt(1000)).append(",10.0.0.1:9001,,").append(guid).append(',').append(guid)
                    .append(',').append(port).append(',').append(description)
                    .append(',').append(random.nextInt(1_000_000_000))
                    .append(',').append(random.nextInt(100) == 0 ? "x" : Integer.toString(random.nextInt(3)))
                    .append(',').append(random.nextInt(1, 10)).append('.').append(random.nextInt(10_000, 99_999)).append("e-7");
            if (random.nextInt(300) != 0) { // else a damaged row: one cell short
                csv.append(',').append(random.nextInt(100_000));
            }
            csv.append(lineEnd);
            if (random.nextInt(2_000) == 0) {
                csv.append(lineEnd); // an empty line
            }
        }
        if (cutShort) {
            csv.append(micros).append(",10.0.0.1:9001,,0x00000000000000aa,0x00000000000000aa,7,cut,12,0");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void sameTable(Table actual, Table expected) {
        assertThat(actual.metrics()).isEqualTo(expected.metrics());
        PortRows a = actual.ports();
        PortRows e = expected.ports();
        assertThat(a.rejectedRows()).isEqualTo(e.rejectedRows());
        assertThat(a.unaddressableRows()).isEqualTo(e.unaddressableRows());
        assertThat(a.rejectedValues()).isEqualTo(e.rejectedValues());
        assertThat(a.switchCount()).isEqualTo(e.switchCount());
        assertThat(a.portCount()).isEqualTo(e.portCount());
        for (int s = 0; s < e.switchCount(); s++) {
            assertThat(a.guid(s)).isEqualTo(e.guid(s));
            assertThat(a.description(s)).as("description of %s", e.guid(s)).isEqualTo(e.description(s));
            assertThat(a.firstPort(s)).isEqualTo(e.firstPort(s));
            assertThat(a.endPort(s)).isEqualTo(e.endPort(s));
        }
        for (int p = 0; p < e.portCount(); p++) {
            assertThat(a.switchOf(p)).isEqualTo(e.switchOf(p));
            assertThat(a.portNumber(p)).isEqualTo(e.portNumber(p));
            assertThat(a.micros(p)).isEqualTo(e.micros(p));
            assertThat(a.isDamaged(p)).isEqualTo(e.isDamaged(p));
            for (int c = 0; c < e.metrics().size(); c++) {
                assertThat(a.kind(p, c)).isEqualTo(e.kind(p, c));
                assertThat(a.cell(p, c)).isEqualTo(e.cell(p, c));
            }
        }
    }

    @Test
    void largePayloadReadInTwoHalvesIsTheTableOneReaderGives() {
        byte[] body = payload(1, "\n", false);
        Table inTwo = CsvPayloadParser.parseInTwo(body, null);
        assertThat(inTwo).as("read in two halves").isNotNull();
        Table whole = CsvPayloadParser.parseInOnePiece(body, null);
        assertThat(whole.ports().rejectedRows()).as("damaged, unreadable and repeated rows").isGreaterThan(1_000);
        assertThat(whole.ports().switchCount()).isEqualTo(3_000);
        sameTable(inTwo, whole);
    }

    @Test
    void crlfLinesAndARowCutShortAtTheEndReadAlikeInTwoHalves() {
        byte[] body = payload(2, "\r\n", true);
        Table inTwo = CsvPayloadParser.parseInTwo(body, null);
        assertThat(inTwo).isNotNull();
        sameTable(inTwo, CsvPayloadParser.parseInOnePiece(body, null));
    }

    @Test
    void payloadFollowingAnotherReadInTwoHalvesReusesItsIdentityAsOneReaderDoes() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)), CounterProperties.defaults());
        Snapshot previous = store.publish(CsvPayloadParser.parse(payload(3, "\n", false), null), Instant.EPOCH,
                Instant.EPOCH, null);
        byte[] body = payload(3, "\n", false);
        Table inTwo = CsvPayloadParser.parseInTwo(body, previous);
        assertThat(inTwo).isNotNull();
        sameTable(inTwo, CsvPayloadParser.parseInOnePiece(body, previous));
        for (int s = 0; s < inTwo.ports().switchCount(); s++) {
            assertThat(inTwo.ports().guid(s)).isSameAs(previous.switchId(s));
        }
    }

    @Test
    void payloadWithAQuoteAnywhereIsReadByOneReader() {
        byte[] body = payload(4, "\n", false);
        int middle = body.length * 3 / 4;
        while (body[middle] != '\n') {
            middle++;
        }
        // a quoted description in the second half: "leaf, ""x""" holds a comma and quotes
        String quoted = new String(body, 0, middle + 1, StandardCharsets.UTF_8)
                + "1,s,,0x00000000000000ab,0x00000000000000ab,1,\"leaf, \"\"x\"\"\",1,0,1.0,2\n"
                + new String(body, middle + 1, body.length - middle - 1, StandardCharsets.UTF_8);
        byte[] withQuote = quoted.getBytes(StandardCharsets.UTF_8);
        assertThat(CsvPayloadParser.parseInTwo(withQuote, null)).isNull();
        Table table = CsvPayloadParser.parse(withQuote, null);
        PortRows ports = table.ports();
        int quotedSwitch = -1;
        for (int s = 0; s < ports.switchCount(); s++) {
            quotedSwitch = ports.guid(s).equals("0x00000000000000ab") ? s : quotedSwitch;
        }
        assertThat(ports.description(quotedSwitch)).isEqualTo("leaf, \"x\"");
    }

    @Test
    void smallPayloadsAndSwitchRowsAreReadByOneReader() {
        assertThat(CsvPayloadParser.parseInTwo((HEADER + "\n1,s,,0xa,0xa,1,d,1,0,1.0,2\n").getBytes(StandardCharsets.UTF_8),
                null)).isNull();
        StringBuilder switchRows = new StringBuilder("switch_id,node_guid,port_num\n");
        for (int i = 0; switchRows.length() < CsvPayloadParser.PARALLEL_BYTES + 1000; i++) {
            switchRows.append("sw-").append(i).append(",1,2\n");
        }
        byte[] body = switchRows.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(CsvPayloadParser.parseInTwo(body, null)).isNull();
        assertThat(CsvPayloadParser.parse(body, null).ports()).isNull();
    }
}
