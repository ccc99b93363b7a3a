package io.fabrictelemetry.metrics.history;

import java.util.Arrays;

/**
 * One snapshot's cells, encoded in row-major order against the previous frame of the same
 * {@link Layout} (the first frame of a segment against zero: a key frame). {@code blockOffsets[b]}
 * is where cell {@code b * BLOCK} starts, so reading one series skips at most {@code BLOCK - 1}
 * cells per frame.
 *
 * @param sequence        the snapshot's sequence
 * @param sampledAtMillis the one timestamp every cell of the frame shares
 * @param data            the encoded cells
 * @param blockOffsets    start of every {@code BLOCK}-th cell in {@code data}
 * @param carriedRows     rows that repeat older values (not new points), ascending
 */
record Frame(long sequence, long sampledAtMillis, byte[] data, int[] blockOffsets, int[] carriedRows) {

    static final int BLOCK = 128;

    boolean carried(int row) {
        return carriedRows.length > 0 && Arrays.binarySearch(carriedRows, row) >= 0;
    }

    /** An estimate of the heap this frame holds. */
    long bytes() {
        return 96L + data.length + 4L * blockOffsets.length + 4L * carriedRows.length;
    }
}
