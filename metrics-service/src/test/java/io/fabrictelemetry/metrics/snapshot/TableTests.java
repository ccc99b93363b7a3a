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
}
