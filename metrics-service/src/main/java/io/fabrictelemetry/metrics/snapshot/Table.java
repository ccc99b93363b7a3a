package io.fabrictelemetry.metrics.snapshot;

import java.util.List;

/**
 * The values of one accepted payload, column-compact: one {@code long} and one kind byte per cell,
 * row-major ({@code row * metrics.size() + column}), instead of a map of boxed values per switch.
 * A cell holds a {@code long} for an integer literal, the raw bits of a {@code double} for any other
 * finite number, or nothing (no reading).
 *
 * @param metrics        metric names, in the generator's column order
 * @param switchIds      switch IDs, in the generator's row order, unique
 * @param cells          cell payloads (long value, or double bits)
 * @param kinds          {@link #NULL}, {@link #INTEGER} or {@link #DECIMAL} per cell
 * @param rejectedRows   rows skipped (wrong cell count, blank or repeated switch_id)
 * @param rejectedValues cells that were not finite numbers, kept as no reading
 * @param damaged        rejected rows whose switch is identifiable: candidates to carry over
 */
public record Table(List<String> metrics, String[] switchIds, long[] cells, byte[] kinds,
        int rejectedRows, int rejectedValues, List<Damaged> damaged) {

    public static final byte NULL = 0;
    public static final byte INTEGER = 1;
    public static final byte DECIMAL = 2;

    public Table(List<String> metrics, String[] switchIds, long[] cells, byte[] kinds, int rejectedRows,
            int rejectedValues) {
        this(metrics, switchIds, cells, kinds, rejectedRows, rejectedValues, List.of());
    }

    /**
     * A row rejected for its shape whose {@code switch_id} is readable and not otherwise present.
     *
     * @param switchId the switch
     * @param position how many accepted rows came before it: where it stands in the generator's order
     */
    public record Damaged(String switchId, int position) {
    }

    public int switchCount() {
        return switchIds.length;
    }

    int index(int row, int column) {
        return row * metrics.size() + column;
    }
}
