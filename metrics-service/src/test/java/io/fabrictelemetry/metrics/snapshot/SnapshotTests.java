package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class SnapshotTests {

    static Table table() {
        // sw-1: integer, decimal, no reading; sw-2: decimal that looks whole, integer, integer
        return new Table(List.of("count", "gauge", "latency"), new String[] {"sw-1", "sw-2"},
                new long[] {5, Double.doubleToRawLongBits(312.5), 0,
                        Double.doubleToRawLongBits(42.0), 0, -3},
                new byte[] {Table.INTEGER, Table.DECIMAL, Table.NULL, Table.DECIMAL, Table.INTEGER, Table.INTEGER},
                1, 2);
    }

    @Test
    void encodesListMetricsOnceInTheGeneratorsOrderWithTypedValues() {
        Snapshot snapshot = new SnapshotStore().publish(table(), Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:00:00.120Z"), "\"g-1\"");

        assertThat(new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"sequence\":1,\"sampledAt\":\"2026-11-28T10:00:00.000Z\",\"collectedAt\":\"2026-11-28T10:00:00.120Z\","
                        + "\"metrics\":[\"count\",\"gauge\",\"latency\"],\"switches\":{"
                        + "\"sw-1\":{\"count\":5,\"gauge\":312.5,\"latency\":null},"
                        + "\"sw-2\":{\"count\":42.0,\"gauge\":0,\"latency\":-3}}}");
    }

    @Test
    void indexesSwitchesAndMetrics() {
        Snapshot snapshot = new SnapshotStore().publish(table(), Instant.EPOCH, Instant.EPOCH, null);
        assertThat(snapshot.switchRow("sw-2")).isEqualTo(1);
        assertThat(snapshot.switchRow("sw-9")).isEqualTo(-1);
        assertThat(snapshot.metricColumn("latency")).isEqualTo(2);
        assertThat(snapshot.metricColumn("LATENCY")).isEqualTo(-1);
        assertThat(snapshot.rejectedRows()).isEqualTo(1);
        assertThat(snapshot.rejectedValues()).isEqualTo(2);
    }

    @Test
    void eachPublishedSnapshotIncreasesTheSequenceByOneAndChangesTheEtag() {
        SnapshotStore store = new SnapshotStore();
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
        Snapshot before = new SnapshotStore().publish(table(), Instant.EPOCH, Instant.EPOCH, null);
        Snapshot after = new SnapshotStore().publish(table(), Instant.EPOCH, Instant.EPOCH, null);
        assertThat(after.sequence()).isEqualTo(before.sequence());
        assertThat(after.etag()).isNotEqualTo(before.etag());
    }
}
