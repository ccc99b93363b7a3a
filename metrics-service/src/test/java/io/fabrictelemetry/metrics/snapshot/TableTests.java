package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TableTests {

    @Test
    void tableKeepsItsValuesWhenTheArraysItWasBuiltFromChangeLater() {
        long[] cells = {1, 2};
        byte[] kinds = {CellKind.INTEGER, CellKind.INTEGER};
        Table table = Table.of(List.of("a", "b"), List.of("sw-1"), cells, kinds, 0, 0);
        cells[0] = 99;
        kinds[1] = CellKind.NONE;

        assertThat(table.cell(0, 0)).isEqualTo(1);
        assertThat(table.kind(0, 1)).isEqualTo(CellKind.INTEGER);
    }

    @Test
    void builderCopiesEachRowSoTheCallerMayReuseItsArrays() {
        long[] row = {1, 2};
        byte[] kinds = {CellKind.INTEGER, CellKind.DECIMAL};
        Table.Builder builder = Table.builder(List.of("a", "b"), 1);
        builder.add("sw-1", row, kinds);
        row[0] = 3;
        builder.add("sw-2", row, kinds);
        Table table = builder.build(0, 0, List.of());

        assertThat(table.switchIds()).containsExactly("sw-1", "sw-2");
        assertThat(table.cell(0, 0)).isEqualTo(1);
        assertThat(table.cell(1, 0)).isEqualTo(3);
        assertThat(table.kind(1, 1)).isEqualTo(CellKind.DECIMAL);
    }

    @Test
    void switchIdsCannotBeChangedThroughTheTable() {
        Table table = Table.of(List.of("a"), List.of("sw-1"), new long[] {1}, new byte[] {CellKind.INTEGER}, 0, 0);
        assertThatThrownBy(() -> table.switchIds().set(0, "sw-2")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(table.switchId(0)).isEqualTo("sw-1");
    }

    @Test
    void cellCountThatDoesNotMatchTheShapeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                Table.of(List.of("a", "b"), List.of("sw-1"), new long[] {1}, new byte[] {CellKind.INTEGER}, 0, 0));
    }

    @Test
    void builtTableKeepsItsIndexAndTheBuilderTakesNoMoreRows() {
        Table.Builder builder = Table.builder(List.of("a"), 1);
        builder.add("sw-1", new long[] {1}, new byte[] {CellKind.INTEGER});
        builder.add("sw-2", new long[] {2}, new byte[] {CellKind.INTEGER});
        Table table = builder.build(0, 0, List.of());
        assertThat(table.row("sw-1")).isZero();
        assertThat(table.row("sw-2")).isEqualTo(1);
        assertThatThrownBy(() -> builder.add("sw-3", new long[] {3}, new byte[] {CellKind.INTEGER}))
                .isInstanceOf(IllegalStateException.class);
        assertThat(table.row("sw-3")).isEqualTo(-1);
    }

    private static Snapshot previous(String... ids) {
        long[] cells = new long[ids.length];
        byte[] kinds = new byte[ids.length];
        java.util.Arrays.fill(kinds, CellKind.INTEGER);
        return new SnapshotStore(new StaleProperties(java.time.Duration.ofSeconds(30)))
                .publish(Table.of(List.of("a"), List.of(ids), cells, kinds, 0, 0), java.time.Instant.EPOCH,
                        java.time.Instant.EPOCH, null);
    }

    /** A table built after {@code previous} from these IDs, each the previous snapshot's own String where it has it. */
    private static Table after(Snapshot previous, String... ids) {
        Table.Builder builder = Table.builder(List.of("a"), 1, previous);
        for (String id : ids) {
            int known = previous.switchRow(id);
            builder.add(known >= 0 ? previous.switchId(known) : id, new long[] {1}, new byte[] {CellKind.INTEGER});
        }
        return builder.build(0, 0, List.of());
    }

    @Test
    void tableOfTheSameSwitchesInTheSameOrderFindsEachRow() {
        Snapshot previous = previous("sw-1", "sw-2", "sw-3");
        Table table = after(previous, "sw-1", "sw-2", "sw-3");

        assertThat(table.row("sw-1")).isZero();
        assertThat(table.row("sw-3")).isEqualTo(2);
        assertThat(table.row("sw-4")).isEqualTo(-1);
        assertThat(table.sameRowsAs(previous.table())).as("shares the previous rows").isTrue();
    }

    @Test
    void tableThatDepartsFromThePreviousOrderIndexesItsOwnRows() {
        Snapshot previous = previous("sw-1", "sw-2", "sw-3", "sw-4");

        Table reordered = after(previous, "sw-1", "sw-2", "sw-9", "sw-3");
        assertThat(List.of(reordered.row("sw-1"), reordered.row("sw-2"), reordered.row("sw-9"), reordered.row("sw-3"),
                reordered.row("sw-4"))).containsExactly(0, 1, 2, 3, -1);

        Table fewer = after(previous, "sw-1", "sw-2");
        assertThat(fewer.row("sw-2")).isEqualTo(1);
        assertThat(fewer.row("sw-3")).isEqualTo(-1);

        Table more = after(previous, "sw-1", "sw-2", "sw-3", "sw-4", "sw-5");
        assertThat(more.row("sw-4")).isEqualTo(3);
        assertThat(more.row("sw-5")).isEqualTo(4);

        assertThat(List.of(reordered, fewer, more, after(previous, "sw-2", "sw-1", "sw-3", "sw-4")))
                .noneMatch(table -> table.sameRowsAs(previous.table()));
    }

    @Test
    void builderAfterAPreviousTableKnowsWhichSwitchesItHasSoFar() {
        Snapshot previous = previous("sw-1", "sw-2", "sw-3");
        Table.Builder builder = Table.builder(List.of("a"), 1, previous);
        builder.add(previous.switchId(0), new long[] {1}, new byte[] {CellKind.INTEGER});
        builder.add(previous.switchId(1), new long[] {2}, new byte[] {CellKind.INTEGER});

        assertThat(builder.contains("sw-1")).isTrue();
        assertThat(builder.contains("sw-2")).isTrue();
        assertThat(builder.contains(previous.switchId(2))).isFalse();
        assertThat(builder.contains("sw-3")).isFalse();
        assertThat(builder.contains("sw-9")).isFalse();
    }

    @Test
    void aRowOrColumnOutOfRangeFailsRatherThanReadingSpareCapacity() {
        Table.Builder builder = Table.builder(List.of("a", "b"), 64); // room for 64 rows, 1 used
        builder.add("sw-1", new long[] {1, 2}, new byte[] {CellKind.INTEGER, CellKind.INTEGER});
        Table table = builder.build(0, 0, List.of());

        assertThat(table.cell(0, 1)).isEqualTo(2);
        assertThatThrownBy(() -> table.cell(1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> table.kind(1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> table.cell(0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
