package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class SnapshotTests {

    static Table table() {
        // sw-1: integer, decimal, no reading; sw-2: decimal that looks whole, integer, integer
        return Table.of(List.of("count", "gauge", "latency"), List.of("sw-1", "sw-2"),
                new long[] {5, Double.doubleToRawLongBits(312.5), 0,
                        Double.doubleToRawLongBits(42.0), 0, -3},
                new byte[] {CellKind.INTEGER, CellKind.DECIMAL, CellKind.NONE, CellKind.DECIMAL, CellKind.INTEGER, CellKind.INTEGER},
                1, 2);
    }

    @Test
    void encodesListMetricsOnceInTheGeneratorsOrderWithTypedValues() {
        Snapshot snapshot = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(table(), Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:00:00.120Z"), "\"g-1\"");

        assertThat(new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"sequence\":1,\"sampledAt\":\"2026-11-28T10:00:00.000Z\",\"collectedAt\":\"2026-11-28T10:00:00.120Z\","
                        + "\"metrics\":[\"count\",\"gauge\",\"latency\"],\"switches\":{"
                        + "\"sw-1\":{\"count\":5,\"gauge\":312.5,\"latency\":null},"
                        + "\"sw-2\":{\"count\":42.0,\"gauge\":0,\"latency\":-3}}}");
    }

    @Test
    void decimalsAreWrittenAsTheShortestTextThatReadsBackAsTheSameDouble() {
        double[] values = {312.5, 0.1, 1.0E-7, 2.82879384806159E17, 40.96, -0.0};
        long[] cells = new long[values.length];
        byte[] kinds = new byte[values.length];
        List<String> metrics = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            cells[i] = Double.doubleToRawLongBits(values[i]);
            kinds[i] = CellKind.DECIMAL;
            metrics.add("m" + i);
        }
        Snapshot snapshot = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)))
                .publish(Table.of(metrics, List.of("sw-1"), cells, kinds, 0, 0), Instant.EPOCH, Instant.EPOCH, null);
        String body = new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8);
        // JDK 17's Double.toString writes 2.82879384806159008E17 for the fourth: a digit too many
        assertThat(body).contains("{\"sw-1\":{\"m0\":312.5,\"m1\":0.1,\"m2\":1.0E-7,\"m3\":2.82879384806159E17,"
                + "\"m4\":40.96,\"m5\":-0.0}}");
    }

    @Test
    void indexesSwitchesAndMetrics() {
        Snapshot snapshot = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(table(), Instant.EPOCH, Instant.EPOCH, null);
        assertThat(snapshot.switchRow("sw-2")).isEqualTo(1);
        assertThat(snapshot.switchRow("sw-9")).isEqualTo(-1);
        assertThat(snapshot.metricColumn("latency")).isEqualTo(2);
        assertThat(snapshot.metricColumn("LATENCY")).isEqualTo(-1);
        assertThat(snapshot.rejectedRows()).isEqualTo(1);
        assertThat(snapshot.rejectedValues()).isEqualTo(2);
    }

    @Test
    void eachPublishedSnapshotIncreasesTheSequenceByOneAndChangesTheEtag() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        assertThat(store.current()).isNull();
        Snapshot first = store.publish(table(), Instant.EPOCH, Instant.EPOCH, "\"a\"");
        Snapshot second = store.publish(table(), Instant.EPOCH, Instant.EPOCH, "\"b\"");

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(store.current()).isSameAs(second);
        assertThat(first.etag()).matches("\"[0-9a-f]{8}-1\"");
        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThat(second.generatorEtag()).isEqualTo("\"b\"");
    }

    @Test
    void restartedServiceNeverReusesAnEtag() {
        Snapshot before = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(table(), Instant.EPOCH, Instant.EPOCH, null);
        Snapshot after = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(table(), Instant.EPOCH, Instant.EPOCH, null);
        assertThat(after.sequence()).isEqualTo(before.sequence());
        assertThat(after.etag()).isNotEqualTo(before.etag());
    }

    private static Table payload(String[] ids, long[] values, List<Table.Damaged> damaged) {
        byte[] kinds = new byte[values.length];
        java.util.Arrays.fill(kinds, CellKind.INTEGER);
        return Table.of(List.of("a", "b"), List.of(ids), values, kinds, damaged.size(), 0, damaged);
    }

    @Test
    void switchWhoseRowIsDamagedKeepsItsPreviousValuesInItsPlaceAndSaysWhenTheyWereSampled() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        Instant t1 = Instant.parse("2026-11-28T10:00:00Z");
        Instant t2 = Instant.parse("2026-11-28T10:00:10Z");
        store.publish(payload(new String[] {"sw-1", "sw-2", "sw-3"}, new long[] {1, 2, 3, 4, 5, 6}, List.of()),
                t1, t1, null);
        Snapshot second = store.publish(payload(new String[] {"sw-1", "sw-3"}, new long[] {10, 20, 50, 60},
                List.of(new Table.Damaged("sw-2", 1))), t2, t2, null);

        assertThat(second.switchCount()).isEqualTo(3);
        assertThat(second.switchId(1)).isEqualTo("sw-2");
        assertThat(second.numericValue(1, 0)).isEqualTo(3);
        assertThat(second.numericValue(1, 1)).isEqualTo(4);
        assertThat(second.numericValue(2, 0)).isEqualTo(50);
        assertThat(second.carriedOver()).containsExactly(java.util.Map.entry("sw-2", t1));
        assertThat(second.sampledAt("sw-2")).isEqualTo(t1);
        assertThat(second.sampledAt("sw-1")).isEqualTo(t2);
        assertThat(new String(second.listMetricsJson(), StandardCharsets.UTF_8))
                .contains("\"sw-2\":{\"a\":3,\"b\":4}")
                .endsWith(",\"carriedOver\":{\"sw-2\":\"2026-11-28T10:00:00.000Z\"}}");

        // damaged again: it keeps the original sampling instant, not the previous snapshot's
        Instant t3 = Instant.parse("2026-11-28T10:00:20Z");
        Snapshot third = store.publish(payload(new String[] {"sw-1", "sw-3"}, new long[] {11, 21, 51, 61},
                List.of(new Table.Damaged("sw-2", 1))), t3, t3, null);
        assertThat(third.carriedOver()).containsEntry("sw-2", t1);

        // intact again: fresh values, nothing carried
        Snapshot fourth = store.publish(payload(new String[] {"sw-1", "sw-2", "sw-3"},
                new long[] {1, 1, 2, 2, 3, 3}, List.of()), t3, t3, null);
        assertThat(fourth.carriedOver()).isEmpty();
        assertThat(new String(fourth.listMetricsJson(), StandardCharsets.UTF_8)).doesNotContain("carriedOver");
    }

    @Test
    void switchThatLeavesTheGeneratorsOutputLeavesTheSnapshot() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        store.publish(payload(new String[] {"sw-1", "sw-2"}, new long[] {1, 2, 3, 4}, List.of()), Instant.EPOCH,
                Instant.EPOCH, null);
        Snapshot next = store.publish(payload(new String[] {"sw-1"}, new long[] {1, 2}, List.of()), Instant.EPOCH,
                Instant.EPOCH, null);
        assertThat(next.switchRow("sw-2")).isEqualTo(-1);
        assertThat(next.carriedOver()).isEmpty();
    }

    @Test
    void damagedRowOfASwitchNeverSeenBeforeIsNotInvented() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        store.publish(payload(new String[] {"sw-1"}, new long[] {1, 2}, List.of()), Instant.EPOCH, Instant.EPOCH, null);
        Snapshot next = store.publish(payload(new String[] {"sw-1"}, new long[] {1, 2},
                List.of(new Table.Damaged("sw-9", 1))), Instant.EPOCH, Instant.EPOCH, null);
        assertThat(next.switchRow("sw-9")).isEqualTo(-1);
        assertThat(next.carriedOver()).isEmpty();
    }

    @Test
    void carriedOverSwitchWhoseValuesAreOlderThanStaleAfterIsServedAsNullUntilItsRowIsIntactAgain() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
        store.publish(payload(new String[] {"sw-1", "sw-2"}, new long[] {1, 2, 3, 4}, List.of()), t0, t0, null);

        // exactly STALE_AFTER old: still served
        Instant t30 = t0.plusSeconds(30);
        Snapshot atTheLimit = store.publish(payload(new String[] {"sw-1"}, new long[] {5, 6},
                List.of(new Table.Damaged("sw-2", 1))), t30, t30, null);
        assertThat(atTheLimit.numericValue(1, 0)).isEqualTo(3);

        // older than STALE_AFTER when the snapshot is built: listed, no values, the sampledAt of its last good row
        Instant t31 = t0.plusSeconds(31);
        Snapshot stale = store.publish(payload(new String[] {"sw-1"}, new long[] {7, 8},
                List.of(new Table.Damaged("sw-2", 1))), t31, t31, null);
        assertThat(stale.switchId(1)).isEqualTo("sw-2");
        assertThat(stale.numericValue(1, 0)).isNaN();
        assertThat(stale.numericValue(1, 1)).isNaN();
        assertThat(stale.numericValue(0, 0)).isEqualTo(7);
        assertThat(stale.carriedOver()).containsExactly(java.util.Map.entry("sw-2", t0));
        assertThat(stale.sampledAt("sw-2")).isEqualTo(t0);
        assertThat(new String(stale.listMetricsJson(), StandardCharsets.UTF_8))
                .contains("\"sw-2\":{\"a\":null,\"b\":null}")
                .endsWith(",\"carriedOver\":{\"sw-2\":\"2026-11-28T10:00:00.000Z\"}}");

        // damaged again: still nothing passed off as current
        Instant t60 = t0.plusSeconds(60);
        Snapshot still = store.publish(payload(new String[] {"sw-1"}, new long[] {9, 10},
                List.of(new Table.Damaged("sw-2", 1))), t60, t60, null);
        assertThat(still.numericValue(1, 0)).isNaN();
        assertThat(still.carriedOver()).containsEntry("sw-2", t0);

        // an intact row restores it at once
        Instant t70 = t0.plusSeconds(70);
        Snapshot fresh = store.publish(payload(new String[] {"sw-1", "sw-2"}, new long[] {1, 2, 11, 12}, List.of()),
                t70, t70, null);
        assertThat(fresh.numericValue(1, 0)).isEqualTo(11);
        assertThat(fresh.carriedOver()).isEmpty();
    }
}
