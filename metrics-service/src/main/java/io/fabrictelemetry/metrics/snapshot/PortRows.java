package io.fabrictelemetry.metrics.snapshot;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The port rows of one payload in UFM Telemetry's layout, column-compact like {@link Table}: per
 * port one {@code long} and one {@link CellKind} byte per metric, its switch, port number and
 * sample time in primitive arrays; per switch its node GUID and {@code node_description}. No
 * object per port. Ports are grouped by switch, switches in order of first appearance, ports in
 * the source's order within their switch.
 *
 * <p>Built by the parser ({@link Builder}); a row that was damaged but names its port is kept as a
 * placeholder ({@link #isDamaged}) for the store to carry that port's previous values over, or drop.
 * Immutable once built: the arrays never leave the package.
 */
public final class PortRows {

    /** A port row without a usable {@code timestamp}: it was sampled at the payload's {@code sampledAt}. */
    public static final long NO_TIME = Long.MIN_VALUE;

    final List<String> metrics;
    final int width;
    final String[] guids; // per switch
    final @Nullable String[] descriptions; // per switch, null when unknown
    final int[] switchStart; // switches + 1 entries: the ports of switch s are [switchStart[s], switchStart[s + 1])
    final int[] switchOf; // per port
    final int[] portNumbers; // per port
    final long[] micros; // per port: its sample time in µs since the epoch, or NO_TIME
    final long[] cells; // ports x width, may be longer
    final byte[] kinds;
    final int portCount;
    final boolean @Nullable [] damaged; // per port: a placeholder for a damaged row; null when none
    final boolean @Nullable [] carried; // per port: values carried over from an older snapshot; null when none
    final int rejectedRows;
    final int unaddressableRows;
    final int rejectedValues;

    PortRows(List<String> metrics, String[] guids, @Nullable String[] descriptions, int[] switchStart, int[] switchOf,
            int[] portNumbers, long[] micros, long[] cells, byte[] kinds, int portCount, boolean @Nullable [] damaged,
            boolean @Nullable [] carried, int rejectedRows, int unaddressableRows, int rejectedValues) {
        this.metrics = List.copyOf(metrics);
        this.width = this.metrics.size();
        this.guids = guids;
        this.descriptions = descriptions;
        this.switchStart = switchStart;
        this.switchOf = switchOf;
        this.portNumbers = portNumbers;
        this.micros = micros;
        this.cells = cells;
        this.kinds = kinds;
        this.portCount = portCount;
        this.damaged = damaged;
        this.carried = carried;
        this.rejectedRows = rejectedRows;
        this.unaddressableRows = unaddressableRows;
        this.rejectedValues = rejectedValues;
    }

    /** Metric names (identity and label columns removed), in the payload's column order. */
    public List<String> metrics() {
        return metrics;
    }

    public int portCount() {
        return portCount;
    }

    public int switchCount() {
        return guids.length;
    }

    /** A switch's node GUID as the source wrote it. */
    public String guid(int switchIndex) {
        return guids[switchIndex];
    }

    /** Port rows of the switch: {@code [firstPort, endPort)}. */
    public int firstPort(int switchIndex) {
        return switchStart[switchIndex];
    }

    public int endPort(int switchIndex) {
        return switchStart[switchIndex + 1];
    }

    public int switchOf(int port) {
        return switchOf[port];
    }

    public int portNumber(int port) {
        return portNumbers[port];
    }

    /** The port's {@code timestamp} in µs since the epoch, or {@link #NO_TIME}. */
    public long micros(int port) {
        return micros[port];
    }

    public @Nullable String description(int switchIndex) {
        return descriptions[switchIndex];
    }

    /** True when the row was damaged: a placeholder whose values the store carries over or drops. */
    public boolean isDamaged(int port) {
        return damaged != null && damaged[port];
    }

    public byte kind(int port, int column) {
        return kinds[index(port, column)];
    }

    public long cell(int port, int column) {
        return cells[index(port, column)];
    }

    /** Rows skipped: damaged, repeated, or naming no port (blank or malformed GUID or port number). */
    public int rejectedRows() {
        return rejectedRows;
    }

    public int unaddressableRows() {
        return unaddressableRows;
    }

    public int rejectedValues() {
        return rejectedValues;
    }

    /** The newest {@code timestamp} of the rows read, or {@link #NO_TIME}. */
    public long newestMicros() {
        long newest = NO_TIME;
        for (int p = 0; p < portCount; p++) {
            if (micros[p] != NO_TIME && (carried == null || !carried[p]) && (damaged == null || !damaged[p])) {
                newest = Math.max(newest, micros[p]);
            }
        }
        return newest;
    }

    private int index(int port, int column) {
        return java.util.Objects.checkIndex(port, portCount) * width + java.util.Objects.checkIndex(column, width);
    }

    /** True when {@code other} has the very same identity arrays: the same ports in the same rows. */
    boolean sameIdentityAs(PortRows other) {
        return switchOf == other.switchOf && portNumbers == other.portNumbers && guids == other.guids;
    }

    /**
     * Fills port rows in the source's order; {@link #build} groups them by switch. Switch GUIDs and
     * descriptions equal to the previous snapshot's at the same place are its very Strings, and when
     * the whole identity (switches, ports, descriptions) is the previous one, its arrays are shared.
     */
    public static final class Builder {

        private final List<String> metrics;
        private final int width;
        private final @Nullable PortRows previous;
        private String[] guids = new String[16];
        private @Nullable String[] descriptions = new String[16];
        private int switches;
        private final SwitchIndex index = new SwitchIndex(16);
        private int[] switchOf;
        private int[] portNumbers;
        private long[] micros;
        private long[] cells;
        private byte[] kinds;
        private boolean @Nullable [] damaged;
        private int rows;
        private boolean grouped = true; // every switch's rows so far one after the other
        private int dropped; // placeholders superseded by an intact row of their port
        private final PortKeys keys;

        public Builder(List<String> metrics, int expectedRows, @Nullable Snapshot previous) {
            this.metrics = List.copyOf(metrics);
            this.width = metrics.size();
            int capacity = Math.max(1, expectedRows);
            this.switchOf = new int[capacity];
            this.portNumbers = new int[capacity];
            this.micros = new long[capacity];
            this.cells = new long[capacity * width];
            this.kinds = new byte[capacity * width];
            this.previous = previous == null || previous.ports() == null ? null : previous.ports().rows();
            this.keys = new PortKeys(capacity);
        }

        /** Switches seen so far. */
        public int switches() {
            return switches;
        }

        public int rows() {
            return rows;
        }

        /**
         * The switch of a GUID, added when new: {@code buf[off, off + len)} holds the GUID as written.
         * {@code last} is the switch of the previous row (-1 for none): the usual next row's.
         */
        public int switchOf(char[] buf, int off, int len, int last) {
            if (last >= 0 && sameChars(guids[last], buf, off, len)) {
                return last;
            }
            String guid;
            if (previous != null && switches < previous.guids.length && sameChars(previous.guids[switches], buf, off, len)) {
                guid = previous.guids[switches];
            } else {
                guid = new String(buf, off, len);
            }
            int known = index.row(guid, guids);
            if (known >= 0) {
                return known;
            }
            if (switches == guids.length) {
                guids = Arrays.copyOf(guids, switches * 2);
                descriptions = Arrays.copyOf(descriptions, switches * 2);
            }
            guids[switches] = guid;
            index.put(guid, switches, guids);
            return switches++;
        }

        /** {@link #switchOf(char[], int, int, int)} for a GUID already read into a String. */
        public int switchOf(String guid, int last) {
            if (last >= 0 && guids[last].equals(guid)) {
                return last;
            }
            String kept = previous != null && switches < previous.guids.length && previous.guids[switches].equals(guid)
                    ? previous.guids[switches] : guid;
            int known = index.row(kept, guids);
            if (known >= 0) {
                return known;
            }
            if (switches == guids.length) {
                guids = Arrays.copyOf(guids, switches * 2);
                descriptions = Arrays.copyOf(descriptions, switches * 2);
            }
            guids[switches] = kept;
            index.put(kept, switches, guids);
            return switches++;
        }

        /** {@link #describe(int, char[], int, int)} for a description already read into a String. */
        public void describe(int switchIndex, String description) {
            if (description.isEmpty()) {
                return;
            }
            if (previous != null && switchIndex < previous.descriptions.length
                    && description.equals(previous.descriptions[switchIndex])) {
                descriptions[switchIndex] = previous.descriptions[switchIndex];
            } else {
                descriptions[switchIndex] = description;
            }
        }

        /** True when the switch has no description yet (the first row of a switch names it). */
        public boolean needsDescription(int switchIndex) {
            return descriptions[switchIndex] == null;
        }

        /** The switch's {@code node_description}: the previous snapshot's String when the same. */
        public void describe(int switchIndex, char[] buf, int off, int len) {
            if (len == 0) {
                return;
            }
            if (previous != null && switchIndex < previous.descriptions.length
                    && previous.descriptions[switchIndex] != null
                    && sameChars(previous.descriptions[switchIndex], buf, off, len)) {
                descriptions[switchIndex] = previous.descriptions[switchIndex];
            } else {
                descriptions[switchIndex] = new String(buf, off, len);
            }
        }

        /** Appends an intact row; false (nothing added) when its port already has an intact row. */
        public boolean add(int switchIndex, int port, long timeMicros, long[] rowCells, byte[] rowKinds) {
            return add(switchIndex, port, timeMicros, rowCells, rowKinds, 0);
        }

        /** {@link #add(int, int, long, long[], byte[])} with the row's cells from {@code from} in the arrays. */
        public boolean add(int switchIndex, int port, long timeMicros, long[] rowCells, byte[] rowKinds, int from) {
            long key = ((long) switchIndex << 32) | (port & 0xFFFFFFFFL);
            int existing = keys.get(key);
            if (existing >= 0) {
                if (damaged == null || !damaged[existing]) {
                    return false;
                }
                damaged[existing] = false; // superseded: dropped at build
                switchOf[existing] = -1;
                dropped++;
            }
            int row = append(switchIndex, port, timeMicros);
            System.arraycopy(rowCells, from, cells, row * width, width);
            System.arraycopy(rowKinds, from, kinds, row * width, width);
            keys.put(key, row);
            return true;
        }

        /** Appends a placeholder for a damaged row naming this port, unless the port already has a row. */
        public void addDamaged(int switchIndex, int port) {
            long key = ((long) switchIndex << 32) | (port & 0xFFFFFFFFL);
            if (keys.get(key) >= 0) {
                return;
            }
            int row = append(switchIndex, port, NO_TIME);
            Arrays.fill(cells, row * width, row * width + width, 0);
            Arrays.fill(kinds, row * width, row * width + width, CellKind.NONE);
            if (damaged == null) {
                damaged = new boolean[switchOf.length];
            }
            damaged[row] = true;
            keys.put(key, row);
        }

        private int append(int switchIndex, int port, long timeMicros) {
            if (rows == switchOf.length) {
                int capacity = rows * 2;
                switchOf = Arrays.copyOf(switchOf, capacity);
                portNumbers = Arrays.copyOf(portNumbers, capacity);
                micros = Arrays.copyOf(micros, capacity);
                cells = Arrays.copyOf(cells, capacity * width);
                kinds = Arrays.copyOf(kinds, capacity * width);
                if (damaged != null) {
                    damaged = Arrays.copyOf(damaged, capacity);
                }
            }
            if (rows > 0 && switchOf[rows - 1] >= 0 && switchOf[rows - 1] != switchIndex) {
                // only the newest switch may start here; one seen before reappearing needs regrouping
                grouped &= switchIndex == switches - 1;
            }
            switchOf[rows] = switchIndex;
            portNumbers[rows] = port;
            micros[rows] = timeMicros;
            return rows++;
        }

        public PortRows build(int rejectedRows, int unaddressableRows, int rejectedValues) {
            int[] order = null; // source row of each built row, when regrouped or compacted
            if (!grouped || dropped > 0) {
                order = groupedOrder();
            }
            int count = order == null ? rows : order.length;
            int[] builtSwitchOf;
            int[] builtPorts;
            long[] builtMicros;
            long[] builtCells;
            byte[] builtKinds;
            boolean @Nullable [] builtDamaged = null;
            if (order == null) {
                builtSwitchOf = Arrays.copyOf(switchOf, count);
                builtPorts = Arrays.copyOf(portNumbers, count);
                builtMicros = micros.length - count > micros.length / 8 ? Arrays.copyOf(micros, count) : micros;
                boolean trim = cells.length - count * width > cells.length / 8;
                builtCells = trim ? Arrays.copyOf(cells, count * width) : cells;
                builtKinds = trim ? Arrays.copyOf(kinds, count * width) : kinds;
                if (damaged != null) {
                    builtDamaged = Arrays.copyOf(damaged, count);
                }
            } else {
                builtSwitchOf = new int[count];
                builtPorts = new int[count];
                builtMicros = new long[count];
                builtCells = new long[count * width];
                builtKinds = new byte[count * width];
                if (damaged != null) {
                    builtDamaged = new boolean[count];
                }
                for (int r = 0; r < count; r++) {
                    int from = order[r];
                    builtSwitchOf[r] = switchOf[from];
                    builtPorts[r] = portNumbers[from];
                    builtMicros[r] = micros[from];
                    System.arraycopy(cells, from * width, builtCells, r * width, width);
                    System.arraycopy(kinds, from * width, builtKinds, r * width, width);
                    if (builtDamaged != null) {
                        builtDamaged[r] = damaged[from];
                    }
                }
            }
            if (builtDamaged != null) {
                boolean any = false;
                for (boolean d : builtDamaged) {
                    any |= d;
                }
                if (!any) {
                    builtDamaged = null;
                }
            }
            return assemble(metrics, Arrays.copyOf(guids, switches), Arrays.copyOf(descriptions, switches), builtSwitchOf,
                    builtPorts, builtMicros, builtCells, builtKinds, count, builtDamaged, null, rejectedRows,
                    unaddressableRows, rejectedValues, previous);
        }

        /** The rows grouped by switch (a stable counting sort), superseded placeholders left out. */
        private int[] groupedOrder() {
            int[] start = new int[switches + 1];
            int kept = 0;
            for (int r = 0; r < rows; r++) {
                if (switchOf[r] >= 0) {
                    start[switchOf[r] + 1]++;
                    kept++;
                }
            }
            for (int s = 0; s < switches; s++) {
                start[s + 1] += start[s];
            }
            int[] order = new int[kept];
            for (int r = 0; r < rows; r++) {
                if (switchOf[r] >= 0) {
                    order[start[switchOf[r]]++] = r;
                }
            }
            return order;
        }
    }

    /**
     * Port rows from grouped arrays: switches without a port are removed (renumbered), and the
     * identity arrays are the previous rows' when equal, so that lookups built on them are shared.
     */
    static PortRows assemble(List<String> metrics, String[] guids, @Nullable String[] descriptions, int[] switchOf,
            int[] portNumbers, long[] micros, long[] cells, byte[] kinds, int count, boolean @Nullable [] damaged,
            boolean @Nullable [] carried, int rejectedRows, int unaddressableRows, int rejectedValues,
            @Nullable PortRows previous) {
        int switches = guids.length;
        int[] start = new int[switches + 1];
        for (int r = 0; r < count; r++) {
            start[switchOf[r] + 1]++;
        }
        boolean empty = false;
        for (int s = 0; s < switches; s++) {
            empty |= start[s + 1] == 0;
            start[s + 1] += start[s];
        }
        if (empty) { // a switch whose only rows were left out
            int[] renumber = new int[switches];
            int kept = 0;
            for (int s = 0; s < switches; s++) {
                renumber[s] = start[s + 1] > start[s] ? kept++ : -1;
            }
            String[] keptGuids = new String[kept];
            String[] keptDescriptions = new String[kept];
            int[] keptStart = new int[kept + 1];
            for (int s = 0; s < switches; s++) {
                if (renumber[s] >= 0) {
                    keptGuids[renumber[s]] = guids[s];
                    keptDescriptions[renumber[s]] = descriptions[s];
                    keptStart[renumber[s] + 1] = start[s + 1];
                }
            }
            for (int r = 0; r < count; r++) {
                switchOf[r] = renumber[switchOf[r]];
            }
            guids = keptGuids;
            descriptions = keptDescriptions;
            start = keptStart;
        }
        if (previous != null && previous.portCount == count && Arrays.equals(previous.switchOf, 0, count, switchOf, 0, count)
                && Arrays.equals(previous.portNumbers, 0, count, portNumbers, 0, count)
                && sameStrings(previous.guids, guids)) {
            switchOf = previous.switchOf;
            portNumbers = previous.portNumbers;
            guids = previous.guids;
            start = previous.switchStart;
            if (sameStrings(previous.descriptions, descriptions)) {
                descriptions = previous.descriptions;
            }
        }
        return new PortRows(metrics, guids, descriptions, start, switchOf, portNumbers, micros, cells, kinds, count,
                damaged, carried, rejectedRows, unaddressableRows, rejectedValues);
    }

    private static boolean sameStrings(@Nullable String[] a, @Nullable String[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i] && (a[i] == null || !a[i].equals(b[i]))) {
                return false;
            }
        }
        return true;
    }

    static boolean sameChars(String known, char[] buf, int off, int len) {
        if (known.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (known.charAt(i) != buf[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** (switch, port) → row: an open-addressing table of longs, no object per port. */
    static final class PortKeys {

        private long[] keys;
        private int[] values;
        private int mask;
        private int size;

        PortKeys(int expected) {
            int capacity = Integer.highestOneBit(Math.max(8, Math.min(1 << 29, expected)) * 2 - 1) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            Arrays.fill(values, -1);
            mask = capacity - 1;
        }

        int get(long key) {
            for (int at = slot(key); ; at = (at + 1) & mask) {
                if (values[at] < 0) {
                    return -1;
                }
                if (keys[at] == key) {
                    return values[at];
                }
            }
        }

        void put(long key, int value) {
            if ((size + 1) * 2L > keys.length) {
                grow();
            }
            for (int at = slot(key); ; at = (at + 1) & mask) {
                if (values[at] < 0) {
                    keys[at] = key;
                    values[at] = value;
                    size++;
                    return;
                }
                if (keys[at] == key) {
                    values[at] = value;
                    return;
                }
            }
        }

        private int slot(long key) {
            long spread = key * 0x9E3779B97F4A7C15L;
            return (int) (spread >>> 32) & mask;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            Arrays.fill(values, -1);
            mask = keys.length - 1;
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldValues[i] >= 0) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }
    }
}
