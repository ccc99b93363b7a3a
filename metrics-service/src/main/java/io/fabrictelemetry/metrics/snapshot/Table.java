package io.fabrictelemetry.metrics.snapshot;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The values of one accepted payload, column-compact: one {@code long} and one {@link CellKind}
 * byte per cell, row-major, instead of a map of boxed values per switch. A cell holds a
 * {@code long} for an integer literal, the raw bits of a {@code double} for any other finite
 * number, or nothing (no reading).
 *
 * <p>Immutable in fact: the arrays never leave this class. The parser fills a {@link Builder};
 * {@link #of} copies what it is given. A built table may keep the builder's arrays, a little longer
 * than its rows need, rather than copy tens of MB at 100,000 switches.
 */
public final class Table {

    private final List<String> metrics;
    private final int width;
    private final String[] switchIds;
    private final long[] cells;
    private final byte[] kinds;
    private final int rejectedRows;
    private final int unaddressableRows;
    private final int rejectedValues;
    private final List<Damaged> damaged;
    private final SwitchIndex switchIndex;
    private final @Nullable PortRows ports;

    /** {@code cells} and {@code kinds} may be longer than the rows need (a builder's, kept). */
    private Table(List<String> metrics, String[] switchIds, long[] cells, byte[] kinds, int rejectedRows,
            int unaddressableRows, int rejectedValues, List<Damaged> damaged, @Nullable SwitchIndex switchIndex) {
        this(metrics, switchIds, cells, kinds, rejectedRows, unaddressableRows, rejectedValues, damaged, switchIndex,
                null);
    }

    private Table(List<String> metrics, String[] switchIds, long[] cells, byte[] kinds, int rejectedRows,
            int unaddressableRows, int rejectedValues, List<Damaged> damaged, @Nullable SwitchIndex switchIndex,
            @Nullable PortRows ports) {
        boolean unaggregated = ports != null && cells.length == 0;
        if (!unaggregated && (cells.length < switchIds.length * metrics.size()
                || kinds.length < switchIds.length * metrics.size())) {
            throw new IllegalArgumentException("expected " + switchIds.length + " x " + metrics.size()
                    + " cells, got " + cells.length + " values and " + kinds.length + " kinds");
        }
        this.metrics = List.copyOf(metrics);
        this.width = this.metrics.size();
        this.switchIds = switchIds;
        this.cells = cells;
        this.kinds = kinds;
        this.rejectedRows = rejectedRows;
        this.unaddressableRows = unaddressableRows;
        this.rejectedValues = rejectedValues;
        this.damaged = List.copyOf(damaged);
        this.switchIndex = switchIndex != null ? switchIndex : SwitchIndex.of(switchIds);
        this.ports = ports;
    }

    /**
     * The table of a payload of port rows, as the parser gives it: its switches are the ports'
     * switches, and it has no cells of its own until the store aggregates the ports (after carrying
     * damaged ports over), so {@link #kind} and {@link #cell} fail on it.
     */
    public static Table ofPorts(PortRows ports) {
        return new Table(ports.metrics, ports.guids, new long[0], new byte[0], ports.rejectedRows,
                ports.unaddressableRows, ports.rejectedValues, List.of(), null, ports);
    }

    /**
     * The switch aggregates of port rows: one row per switch, in the ports' order. The index is
     * {@code previous}'s when it has the very same switch IDs.
     */
    static Table aggregates(PortRows ports, long[] cells, byte[] kinds, @Nullable Table previous) {
        SwitchIndex index = previous != null && previous.switchIds == ports.guids ? previous.switchIndex : null;
        return new Table(ports.metrics, ports.guids, cells, kinds, ports.rejectedRows, ports.unaddressableRows,
                ports.rejectedValues, List.of(), index, ports);
    }

    /** The port rows of a payload in UFM Telemetry's layout, or null for switch rows. */
    public @Nullable PortRows ports() {
        return ports;
    }

    /**
     * A table from row-major arrays, copied.
     *
     * @param metrics        metric names, in the generator's column order
     * @param switchIds      switch IDs, in the generator's row order, unique
     * @param cells          cell payloads (long value, or double bits), {@code switchIds × metrics}
     * @param kinds          a {@link CellKind} per cell
     * @param rejectedRows   rows skipped (wrong cell count, blank, repeated or unaddressable switch_id)
     * @param rejectedValues cells that were not finite numbers, kept as no reading
     * @param damaged        rejected rows whose switch is identifiable: candidates to carry over
     */
    public static Table of(List<String> metrics, List<String> switchIds, long[] cells, byte[] kinds,
            int rejectedRows, int rejectedValues, List<Damaged> damaged) {
        if (cells.length != switchIds.size() * metrics.size() || kinds.length != cells.length) {
            throw new IllegalArgumentException("expected " + switchIds.size() + " x " + metrics.size()
                    + " cells, got " + cells.length + " values and " + kinds.length + " kinds");
        }
        return new Table(metrics, switchIds.toArray(String[]::new), cells.clone(), kinds.clone(), rejectedRows, 0,
                rejectedValues, damaged, null);
    }

    /** {@link #of(List, List, long[], byte[], int, int, List)} with nothing damaged. */
    public static Table of(List<String> metrics, List<String> switchIds, long[] cells, byte[] kinds,
            int rejectedRows, int rejectedValues) {
        return of(metrics, switchIds, cells, kinds, rejectedRows, rejectedValues, List.of());
    }

    /** The row of a switch, or -1 when the table does not have it. */
    public int row(String switchId) {
        return switchIndex.row(switchId, switchIds);
    }

    /** A builder that takes rows one at a time, for a table of these metric columns. */
    public static Builder builder(List<String> metrics, int expectedRows) {
        return new Builder(metrics, expectedRows, null);
    }

    /**
     * A builder for the table that follows {@code previous}'s: while each row added is the same
     * {@code String} as the previous table's ID in that row (the parser reuses them), the previous
     * table's index already answers for those rows, and when every row is, the new table shares it:
     * a steady fabric builds no index.
     */
    public static Builder builder(List<String> metrics, int expectedRows, @Nullable Snapshot previous) {
        return new Builder(metrics, expectedRows, previous == null ? null : previous.table());
    }

    /**
     * A row rejected for its shape whose {@code switch_id} is readable and not otherwise present.
     *
     * @param switchId the switch
     * @param position how many accepted rows came before it: where it stands in the generator's order
     */
    public record Damaged(String switchId, int position) {
    }

    /** Metric names, in the generator's column order. */
    public List<String> metrics() {
        return metrics;
    }

    public int switchCount() {
        return switchIds.length;
    }

    public String switchId(int row) {
        return switchIds[row];
    }

    /** Switch IDs in the generator's row order (a read-only view). */
    public List<String> switchIds() {
        return List.of(switchIds);
    }

    /** The {@link CellKind} of a cell. */
    public byte kind(int row, int column) {
        return kinds[index(row, column)];
    }

    /** A cell's payload: the {@code long} of an integer, the bits of a decimal, 0 for no reading. */
    public long cell(int row, int column) {
        return cells[index(row, column)];
    }

    /** Rows skipped (wrong cell count, blank, repeated or unaddressable {@code switch_id}). */
    public int rejectedRows() {
        return rejectedRows;
    }

    /**
     * Of {@link #rejectedRows()}, those skipped because their {@code switch_id} contains a comma
     * (every filter, ListMetrics {@code switch=a,b}, the stream's, splits on commas) or is longer
     * than any endpoint accepts a name: no request could name that switch.
     */
    public int unaddressableRows() {
        return unaddressableRows;
    }

    /** Cells that were not finite numbers, kept as no reading. */
    public int rejectedValues() {
        return rejectedValues;
    }

    /** Rejected rows whose switch is identifiable: candidates to carry over. */
    public List<Damaged> damaged() {
        return damaged;
    }

    /**
     * True when {@code other} has the same switches in the same rows: this table was built after it
     * from a payload that listed them in the same order, and shares its index.
     */
    boolean sameRowsAs(Table other) {
        return switchIndex == other.switchIndex && switchIds.length == other.switchIds.length;
    }

    /**
     * Where a row's cells start, for a reader in this package that walks a row's cells itself
     * ({@link #cellAt}, {@link #kindAt}): the rates' pass over every row of two tables.
     */
    int rowStart(int row) {
        return Objects.checkIndex(row, switchIds.length) * width;
    }

    /** The cells, row-major, for a pass over every row in this package (may be longer than the rows). */
    long[] cellArray() {
        return cells;
    }

    byte[] kindArray() {
        return kinds;
    }

    /** The cell at {@code rowStart(row) + column}, for a column below {@link #metrics()}'s size. */
    long cellAt(int at) {
        return cells[at];
    }

    /** The kind at {@code rowStart(row) + column}, for a column below {@link #metrics()}'s size. */
    byte kindAt(int at) {
        return kinds[at];
    }

    private int index(int row, int column) {
        // the arrays may keep spare capacity past the last row: a row or column out of range must
        // fail, not read a spare 0
        return Objects.checkIndex(row, switchIds.length) * width + Objects.checkIndex(column, width);
    }

    /** Fills a table row by row; the rows' arrays are copied in, so the caller may reuse them. */
    public static final class Builder {

        private final List<String> metrics;
        private final int width;
        private String[] ids;
        private long[] cells;
        private byte[] kinds;
        private int rows;
        // each switch's row, kept as rows are added: the parser's check for repeated IDs, then the
        // snapshot's index, instead of a set and a map built one after the other over the same IDs;
        // null while every row so far is the previous table's, whose index answers for them
        private @Nullable SwitchIndex index;
        private final @Nullable Table previous;
        private boolean built;

        private Builder(List<String> metrics, int expectedRows, @Nullable Table previous) {
            this.metrics = List.copyOf(metrics);
            this.width = metrics.size();
            int capacity = Math.max(1, expectedRows);
            this.ids = new String[capacity];
            this.cells = new long[capacity * width];
            this.kinds = new byte[capacity * width];
            this.previous = previous;
            this.index = previous == null ? new SwitchIndex(capacity) : null;
        }

        /** True when a row of this switch was added. */
        public boolean contains(String switchId) {
            if (index != null) {
                return index.row(switchId, ids) >= 0;
            }
            if (repeatsPrevious(switchId)) {
                return false; // the previous table's IDs are unique, and its rows before this one are these rows
            }
            int row = previous.row(switchId);
            return row >= 0 && row < rows;
        }

        /** True when the next row's ID is the very String of the previous table's row at the same place. */
        private boolean repeatsPrevious(String switchId) {
            return rows < previous.switchIds.length && previous.switchIds[rows] == switchId;
        }

        /** From now on an index of its own: the rows so far, then each row added. */
        private SwitchIndex ownIndex() {
            SwitchIndex own = new SwitchIndex(ids.length);
            for (int row = 0; row < rows; row++) {
                own.put(ids[row], row, ids);
            }
            index = own;
            return own;
        }

        /** Appends a row: its switch and the first {@code metrics.size()} entries of each array. */
        public Builder add(String switchId, long[] rowCells, byte[] rowKinds) {
            ensureRoom();
            System.arraycopy(rowCells, 0, cells, rows * width, width);
            System.arraycopy(rowKinds, 0, kinds, rows * width, width);
            if (index == null && !repeatsPrevious(switchId)) {
                ownIndex();
            }
            ids[rows] = switchId;
            if (index != null) {
                index.put(switchId, rows, ids);
            }
            rows++;
            return this;
        }

        /** Appends a row of another table with the same columns. */
        Builder add(Table from, int row) {
            ensureRoom();
            System.arraycopy(from.cells, from.index(row, 0), cells, rows * width, width);
            System.arraycopy(from.kinds, from.index(row, 0), kinds, rows * width, width);
            SwitchIndex own = index != null ? index : ownIndex();
            ids[rows] = from.switchIds[row];
            own.put(ids[rows], rows, ids);
            rows++;
            return this;
        }

        /** Rows added so far. */
        public int rows() {
            return rows;
        }

        /**
         * The table; the builder takes no more rows (the table shares its index and, unless more
         * than an eighth of them would be unused, its cell arrays).
         */
        public Table build(int rejectedRows, int rejectedValues, List<Damaged> damaged) {
            return build(rejectedRows, 0, rejectedValues, damaged);
        }

        /** {@link #build(int, int, List)}, {@code unaddressableRows} of the rejected rows for a comma in their ID. */
        public Table build(int rejectedRows, int unaddressableRows, int rejectedValues, List<Damaged> damaged) {
            built = true;
            SwitchIndex shared = index != null ? index
                    : rows == previous.switchIds.length ? previous.switchIndex // the same switches in the same order
                    : ownIndex();
            int used = rows * width;
            boolean trim = cells.length - used > cells.length / 8;
            return new Table(metrics, Arrays.copyOf(ids, rows), trim ? Arrays.copyOf(cells, used) : cells,
                    trim ? Arrays.copyOf(kinds, used) : kinds, rejectedRows, unaddressableRows, rejectedValues, damaged,
                    shared);
        }

        private void ensureRoom() {
            if (built) {
                throw new IllegalStateException("the table was built: its index is no longer the builder's to change");
            }
            if (rows == ids.length) {
                int capacity = ids.length * 2;
                ids = Arrays.copyOf(ids, capacity);
                cells = Arrays.copyOf(cells, capacity * width);
                kinds = Arrays.copyOf(kinds, capacity * width);
            }
        }
    }
}
