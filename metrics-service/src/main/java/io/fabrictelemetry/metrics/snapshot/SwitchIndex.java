package io.fabrictelemetry.metrics.snapshot;

/**
 * Each switch's row, by its ID: an open-addressing hash table (linear probing) in one {@code long[]}
 * holding, per slot, the ID's hash and its row. A {@code HashMap<String, Integer>} costs a node and
 * a boxed row per switch: at 100,000 switches that is 200,000 small objects per snapshot, which
 * every young collection that finds the snapshot alive copies. The IDs themselves stay in the
 * table's array, passed to each call; the index keeps no reference to it.
 *
 * <p>At most half full, so that a miss (the parser asks for every new ID) ends within a few slots.
 * Not thread-safe while rows are added; read-only once its table is built.
 */
final class SwitchIndex {

    private long[] slots; // (hash << 32) | (row + 1); 0 is an empty slot
    private int mask;
    private int size;

    /** An index sized for about this many switches without growing. */
    SwitchIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(8, Math.min(1 << 29, expected)) * 2 - 1) << 1;
        this.slots = new long[capacity];
        this.mask = capacity - 1;
    }

    /** An index of these IDs, each at its position. */
    static SwitchIndex of(String[] ids) {
        SwitchIndex index = new SwitchIndex(ids.length);
        for (int row = 0; row < ids.length; row++) {
            index.put(ids[row], row, ids);
        }
        return index;
    }

    /** Switches indexed. */
    int size() {
        return size;
    }

    /** The row of this ID, or -1; {@code ids} holds the IDs of the rows indexed so far. */
    int row(String id, String[] ids) {
        int hash = id.hashCode();
        for (int at = slot(hash); ; at = (at + 1) & mask) {
            long entry = slots[at];
            if (entry == 0) {
                return -1;
            }
            int row = (int) entry - 1;
            if ((int) (entry >>> 32) == hash && ids[row].equals(id)) {
                return row;
            }
        }
    }

    /** Indexes {@code id} at {@code row} (replacing the row of an ID already there). */
    void put(String id, int row, String[] ids) {
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        int hash = id.hashCode();
        long entry = ((long) hash << 32) | (row + 1L);
        for (int at = slot(hash); ; at = (at + 1) & mask) {
            long present = slots[at];
            if (present == 0) {
                slots[at] = entry;
                size++;
                return;
            }
            if ((int) (present >>> 32) == hash && ids[(int) present - 1].equals(id)) {
                slots[at] = entry;
                return;
            }
        }
    }

    private int slot(int hash) {
        int spread = hash * 0x9E3779B9; // Fibonacci hashing: consecutive IDs' hashes land far apart
        return (spread ^ (spread >>> 16)) & mask;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        mask = slots.length - 1;
        for (long entry : old) {
            if (entry != 0) {
                int at = slot((int) (entry >>> 32));
                while (slots[at] != 0) {
                    at = (at + 1) & mask;
                }
                slots[at] = entry;
            }
        }
    }
}
