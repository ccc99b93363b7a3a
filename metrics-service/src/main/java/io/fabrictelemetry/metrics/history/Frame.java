package io.fabrictelemetry.metrics.history;

import java.util.Arrays;

/**
 * One snapshot's cells, encoded against the previous frame of the same {@link Layout} (the first
 * frame of a segment against zero: a key frame). The rows go in blocks of {@link #BLOCK_ROWS}; a
 * block holds its cells column by column, one {@link Chunk} per column, so an idle column of a
 * block is one byte. {@code blockOffsets[b]} is where block {@code b} starts in {@code data}: a
 * query decodes the blocks of the rows it asks for, never a whole frame.
 *
 * <p>Series states are kept in the same order as the cells: block after block, within a block
 * column after column ({@link #cell}).
 *
 * @param sequence        the snapshot's sequence
 * @param sampledAtMillis the one timestamp every cell of the frame shares, epoch milliseconds
 * @param sampledAtNanos  the same, to the nanosecond: port rows' own times are kept relative to it
 * @param data            the encoded cells
 * @param blockOffsets    start of every block in {@code data}
 * @param carriedRows     rows that repeat older values (not new points), ascending
 */
record Frame(long sequence, long sampledAtMillis, long sampledAtNanos, byte[] data, int[] blockOffsets,
        int[] carriedRows) {

    static final int BLOCK_ROWS = 32;

    /** Rows in block {@code block} of a frame of {@code rows} rows. */
    static int blockRows(int block, int rows) {
        return Math.min(BLOCK_ROWS, rows - block * BLOCK_ROWS);
    }

    /** The index of (row, column) in the states of a frame of {@code rows} rows and {@code width} columns. */
    static int cell(int row, int column, int rows, int width) {
        int block = row / BLOCK_ROWS;
        int start = block * BLOCK_ROWS;
        return start * width + column * blockRows(block, rows) + row - start;
    }

    boolean carried(int row) {
        return carriedRows.length > 0 && Arrays.binarySearch(carriedRows, row) >= 0;
    }

    /**
     * Decodes block {@code block} against the series' states, which start at {@code base} in
     * {@code tags} and {@code values} (the block's states, in cell order); {@code reading[base + i]}
     * tells whether cell {@code i} of the block had a reading. {@code scratch} holds at least
     * {@code 3 * BLOCK_ROWS * width} longs' room ({@link Scratch}).
     */
    void decodeBlock(int block, int rows, int width, byte[] tags, long[] values, boolean[] reading, int base,
            Scratch scratch) {
        int n = blockRows(block, rows);
        byte[] beforeTags = scratch.tags;
        long[] beforeValues = scratch.values;
        System.arraycopy(tags, base, beforeTags, 0, n * width);
        System.arraycopy(values, base, beforeValues, 0, n * width);
        Chunk.Reader reader = new Chunk.Reader(data);
        reader.seek(blockOffsets[block]);
        for (int column = 0; column < width; column++) {
            int reference = reader.reference();
            if (reference > 0) {
                predict(n, column, reference, beforeTags, beforeValues, tags, values, base, scratch.predicted);
            }
            reader.read(n, tags, values, reading, base + column * n, scratch.predicted);
        }
    }

    /**
     * What a predicted chunk of {@code column} is read or written against: per cell, its state
     * before the frame moved by the increase of the reference column (already decoded or encoded
     * in this block, so its states hold this frame's values).
     */
    static void predict(int n, int column, int reference, byte[] beforeTags, long[] beforeValues, byte[] tags,
            long[] values, int base, long[] predicted) {
        int c = column * n;
        int r = (column - reference) * n;
        for (int k = 0; k < n; k++) {
            predicted[k] = Chunk.predict(beforeTags[c + k], beforeValues[c + k], beforeTags[r + k], beforeValues[r + k],
                    tags[base + r + k], values[base + r + k]);
        }
    }

    /** Room a decoder or encoder reuses from block to block. */
    static final class Scratch {

        final byte[] tags;
        final long[] values;
        final long[] predicted = new long[BLOCK_ROWS];

        Scratch(int width) {
            tags = new byte[BLOCK_ROWS * width];
            values = new long[BLOCK_ROWS * width];
        }
    }

    /** An estimate of the heap this frame holds. */
    long bytes() {
        return 104L + data.length + 4L * blockOffsets.length + 4L * carriedRows.length;
    }
}
