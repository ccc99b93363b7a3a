package io.fabrictelemetry.metrics.snapshot;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Each switch's row, by its ID: an open-addressing hash table (linear probing) in one {@code long[]}
 * holding, per slot, the ID's hash and its row. A {@code HashMap<String, Integer>} costs a node and
 * a boxed row per switch: at 100,000 switches that is 200,000 small objects per snapshot, which
 * every young collection that finds the snapshot alive copies. The IDs themselves stay in the
 * table's array, passed to each call; the index keeps no reference to it.
 *
 * <p>At most half full, so that a miss (the parser asks for every new ID) ends within a few slots.
 * Not thread-safe while rows are added; read-only once its table is built.
 *
 * <p>IDs whose {@code String.hashCode} collide are easy to make ({@code "Aa"} and {@code "BB"}), and a
 * generator's payload decides the IDs: with probing alone, a payload of colliding IDs would cost
 * time quadratic in their number (16,384 of them: 0.75 s instead of 32 ms) and stall ingestion.
 * So an insertion that probes more than {@link #MAX_PROBE} slots moves the whole index to a
 * {@code HashMap}, whose colliding entries form a balanced tree.
 */
final class SwitchIndex {

    /** Longer probes than this, on insertion, only come from colliding hashes: see the class comment. */
    static final int MAX_PROBE = 64;

    private long[] slots; // (hash << 32) | (row + 1); 0 is an empty slot
    private int mask;
    private int size;
    private @Nullable Map<String, Integer> colliding; // replaces the slots once probes grow too long

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
        Map<String, Integer> map = colliding;
        return map != null ? map.size() : size;
    }

    /** Whether colliding IDs moved the index to a map. */
    boolean isMap() {
        return colliding != null;
    }

    /** The row of this ID, or -1; {@code ids} holds the IDs of the rows indexed so far. */
    int row(String id, String[] ids) {
        Map<String, Integer> map = colliding;
        if (map != null) {
            Integer row = map.get(id);
            return row == null ? -1 : row;
        }
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
        Map<String, Integer> map = colliding;
        if (map != null) {
            map.put(id, row);
            return;
        }
        if ((size + 1) * 2L > slots.length) {
            grow();
        }
        int hash = id.hashCode();
        long entry = ((long) hash << 32) | (row + 1L);
        int probes = 0;
        for (int at = slot(hash); ; at = (at + 1) & mask) {
            if (++probes > MAX_PROBE) {
                toMap(ids).put(id, row);
                return;
            }
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

    private Map<String, Integer> toMap(String[] ids) {
        Map<String, Integer> map = new HashMap<>((int) (size / 0.75f) + 16);
        for (long entry : slots) {
            if (entry != 0) {
                int row = (int) entry - 1;
                map.put(ids[row], row);
            }
        }
        colliding = map;
        slots = new long[0];
        return map;
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
