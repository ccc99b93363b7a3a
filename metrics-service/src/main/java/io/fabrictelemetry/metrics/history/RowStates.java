package io.fabrictelemetry.metrics.history;

/**
 * The series' states of the rows {@code [first, end)} of one segment, advanced frame by frame: the
 * blocks holding those rows are decoded whole (a column may be predicted from another of its
 * row), the rest of each frame never.
 */
final class RowStates {

    private final int rows;
    private final int width;
    private final int firstBlock;
    private final int lastBlock;
    private final int offset;
    private final byte[] tags;
    private final long[] values;
    private final boolean[] reading;
    private final Frame.Scratch scratch;

    RowStates(Layout layout, int first, int end) {
        this.rows = layout.rows();
        this.width = layout.width();
        this.firstBlock = first / Frame.BLOCK_ROWS;
        this.lastBlock = (end - 1) / Frame.BLOCK_ROWS;
        int start = firstBlock * Frame.BLOCK_ROWS;
        int stop = Math.min(rows, (lastBlock + 1) * Frame.BLOCK_ROWS);
        this.offset = start * width;
        int size = (stop - start) * width;
        this.tags = new byte[size];
        this.values = new long[size];
        this.reading = new boolean[size];
        this.scratch = new Frame.Scratch(width);
    }

    /** Decodes the next frame of the segment. */
    void advance(Frame frame) {
        for (int block = firstBlock; block <= lastBlock; block++) {
            frame.decodeBlock(block, rows, width, tags, values, reading,
                    (block - firstBlock) * Frame.BLOCK_ROWS * width, scratch);
        }
    }

    private int index(int row, int column) {
        return Frame.cell(row, column, rows, width) - offset;
    }

    boolean reading(int row, int column) {
        return reading[index(row, column)];
    }

    /** The cell's kind as {@link Columns} has it, {@link Columns#NULL} without a reading. */
    byte kind(int row, int column) {
        int i = index(row, column);
        return reading[i] ? CellCodec.kindOf(tags[i]) : Columns.NULL;
    }

    /** The cell's 64 bits as {@link Columns} has them, 0 without a reading. */
    long bits(int row, int column) {
        int i = index(row, column);
        return reading[i] ? CellCodec.bitsOf(tags[i], values[i]) : 0;
    }

    /** The integer state of a cell (the ports' time column). */
    long value(int row, int column) {
        return values[index(row, column)];
    }
}
