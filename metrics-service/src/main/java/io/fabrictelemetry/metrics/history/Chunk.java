package io.fabrictelemetry.metrics.history;

import java.util.Arrays;

/**
 * The encoding of one column of one block of rows of a frame (at most {@link Frame#BLOCK_ROWS}
 * cells), each cell relative to its series' state ({@link CellCodec}): the cells' differences
 * bit-packed at one or two widths chosen for the chunk, the cells that do not fit set apart.
 *
 * <pre>
 * header   one byte: 0xFF every cell an unchanged reading; 0xFE every cell no reading; else
 *          wide width (0..64) | hasExceptions &lt;&lt; 7, then a byte narrow width (0..wide) | predicted &lt;&lt; 7,
 *          then when predicted a byte d: the column d places to the left is the reference
 * [exceptions: varint e, e bytes of cell positions (ascending), varint length, then per exception
 *          one code byte and its operands:
 *          0 no reading (the state stays);
 *          1 tag, zigzag varint: no reading, the state becomes (tag, value): how a key frame
 *            restores a state that only older frames established;
 *          2 tag, zigzag varint: a reading with a new tag, its absolute value;
 *          3 varint: a reading whose zigzag difference is wider than the wide width]
 * selectors when narrow &lt; wide: one bit per other cell, 1 for a wide one
 * packed   the zigzag difference of every other cell, narrow or wide bits each, least significant first
 * </pre>
 *
 * The difference is from the series' previous value, or, for a predicted chunk, from what the
 * increment of a reference counter in the same row says ({@link #predict}): a port's packets grow
 * as its bytes do, so its packet counter costs the few bits of the packet size's change rather than
 * the bits of the traffic's. An idle error counter's block is one byte for 32 cells; a busy
 * counter's costs the bits its increments' spread needs, and a block mixing busy and idle ports
 * packs each at its own width. The widths (and whether to predict) are those that make the chunk
 * smallest; outliers (a counter reset, a port coming back) become exceptions. Subtraction wraps, so
 * every pair of longs has a difference and decoding is exact.
 */
final class Chunk {

    static final int ALL_UNCHANGED = 0xFF;
    static final int ALL_NONE = 0xFE;
    /** How far to the left a reference column may be. */
    static final int MAX_REFERENCE = 127;

    static final byte NONE = 0;
    static final byte NONE_SET = 1;
    static final byte ABSOLUTE = 2;
    static final byte WIDE = 3;
    /** A cell that fits a packed width: not an exception. */
    private static final byte PACKED = 4;

    private Chunk() {
    }

    /**
     * A counter's value predicted from its previous value and a reference counter of the same row:
     * {@code previous + increase(reference) * previous / reference_previous}, when both are integer
     * counters that have counted (else the previous value). Encoder and decoder compute it alike.
     */
    static long predict(byte tag, long previous, byte referenceTag, long referencePrevious, byte referenceNowTag,
            long referenceNow) {
        if (tag != CellCodec.TAG_INTEGER || referenceTag != CellCodec.TAG_INTEGER
                || referenceNowTag != CellCodec.TAG_INTEGER || referencePrevious <= 0 || previous < 0) {
            return previous;
        }
        long increase = referenceNow - referencePrevious;
        if (increase <= 0) {
            return previous;
        }
        double estimate = (double) increase * ((double) previous / (double) referencePrevious);
        return estimate < 0x1p62 ? previous + (long) Math.rint(estimate) : previous;
    }

    private static int varintLength(long value) {
        return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    static int bitLength(long zz) {
        return 64 - Long.numberOfLeadingZeros(zz);
    }

    /** Stages one chunk's cells, then writes it. */
    static final class Writer {

        private final ByteSink out;
        private final byte[] types = new byte[Frame.BLOCK_ROWS];
        private final long[] operands = new long[Frame.BLOCK_ROWS];
        private final long[] states = new long[Frame.BLOCK_ROWS];
        private final byte[] operandTags = new byte[Frame.BLOCK_ROWS];
        private final long[] residuals = new long[Frame.BLOCK_ROWS];
        private final long[] predictedResiduals = new long[Frame.BLOCK_ROWS];
        private final int[] countByLength = new int[65];
        private final long[] wideBitsByLength = new long[65];
        private int n;
        private int bitBuffer;
        private int bitCount;
        private int narrowWidth;
        private int wideWidth;

        Writer(ByteSink out) {
            this.out = out;
        }

        /** A reading (tag, value) relative to the state at {@code i}, which it becomes. */
        void put(byte tag, long value, byte[] tags, long[] values, int i) {
            put(tag, value, tags[i], values[i]);
            tags[i] = tag;
            values[i] = value;
        }

        /** A reading (tag, value) relative to a state (stateTag, stateValue). */
        void put(byte tag, long value, byte stateTag, long stateValue) {
            if (tag == stateTag) {
                types[n] = PACKED;
                operands[n] = value;
                states[n] = stateValue;
            } else {
                types[n] = ABSOLUTE;
                operandTags[n] = tag;
                operands[n] = value;
            }
            n++;
        }

        /** No reading; the state stays. */
        void none() {
            types[n++] = NONE;
        }

        /** No reading, and the state becomes (tag, value). */
        void noneSetting(byte tag, long value) {
            types[n] = NONE_SET;
            operandTags[n] = tag;
            operands[n] = value;
            n++;
        }

        /**
         * Writes the staged cells as one chunk. {@code reference > 0}: the chunk may be written
         * against {@code predicted[k]} (for the cells whose state's tag they keep), the column that
         * many places to the left being the reference, when that is smaller.
         */
        void end(int reference, long @org.jspecify.annotations.Nullable [] predicted) {
            boolean unchanged = true;
            boolean none = true;
            for (int k = 0; k < n; k++) {
                unchanged &= types[k] == PACKED && operands[k] == states[k];
                none &= types[k] == NONE;
            }
            if (unchanged || none) {
                out.writeByte(unchanged ? ALL_UNCHANGED : ALL_NONE);
                n = 0;
                return;
            }
            for (int k = 0; k < n; k++) {
                if (types[k] == PACKED) {
                    residuals[k] = CellCodec.zigzag(operands[k] - states[k]);
                }
            }
            long cost = chooseWidths(residuals);
            int narrow = narrowWidth;
            int wide = wideWidth;
            long[] chosen = residuals;
            int predictedFrom = 0;
            if (reference > 0 && predicted != null) {
                for (int k = 0; k < n; k++) {
                    if (types[k] == PACKED) {
                        predictedResiduals[k] = CellCodec.zigzag(operands[k] - predicted[k]);
                    }
                }
                if (chooseWidths(predictedResiduals) + 8 < cost) {
                    narrow = narrowWidth;
                    wide = wideWidth;
                    chosen = predictedResiduals;
                    predictedFrom = reference;
                }
            }
            int exceptions = 0;
            int exceptionBytes = 0;
            int packedCells = 0;
            for (int k = 0; k < n; k++) {
                byte type = types[k];
                if (type == PACKED && bitLength(chosen[k]) > wide) {
                    type = WIDE;
                    types[k] = WIDE;
                }
                if (type == PACKED) {
                    packedCells++;
                } else {
                    exceptions++;
                    exceptionBytes += switch (type) {
                        case NONE -> 1;
                        case WIDE -> 1 + varintLength(chosen[k]);
                        default -> 2 + varintLength(CellCodec.zigzag(operands[k]));
                    };
                }
            }
            out.writeByte(wide | (exceptions > 0 ? 0x80 : 0));
            out.writeByte(narrow | (predictedFrom > 0 ? 0x80 : 0));
            if (predictedFrom > 0) {
                out.writeByte(predictedFrom);
            }
            if (exceptions > 0) {
                out.writeVarint(exceptions);
                for (int k = 0; k < n; k++) {
                    if (types[k] != PACKED) {
                        out.writeByte(k);
                    }
                }
                out.writeVarint(exceptionBytes);
                for (int k = 0; k < n; k++) {
                    switch (types[k]) {
                        case NONE -> out.writeByte(NONE);
                        case WIDE -> {
                            out.writeByte(WIDE);
                            out.writeVarint(chosen[k]);
                        }
                        case NONE_SET, ABSOLUTE -> {
                            out.writeByte(types[k]);
                            out.writeByte(operandTags[k]);
                            out.writeVarint(CellCodec.zigzag(operands[k]));
                        }
                        default -> {
                        }
                    }
                }
            }
            if (narrow < wide && packedCells > 0) {
                for (int k = 0; k < n; k++) {
                    if (types[k] == PACKED) {
                        bits(bitLength(chosen[k]) > narrow ? 1 : 0, 1);
                    }
                }
                align();
            }
            if (wide > 0) {
                for (int k = 0; k < n; k++) {
                    if (types[k] == PACKED) {
                        bits(chosen[k], bitLength(chosen[k]) > narrow ? wide : narrow);
                    }
                }
                align();
            }
            n = 0;
        }

        /**
         * The narrow and wide widths that make the chunk smallest, and that size in bits: each
         * packed cell costs its width (and a selector bit when the two differ), each cell wider than
         * the wide width an exception.
         */
        private long chooseWidths(long[] zz) {
            Arrays.fill(countByLength, 0);
            Arrays.fill(wideBitsByLength, 0);
            boolean forced = false;
            int max = 0;
            int packed = 0;
            for (int k = 0; k < n; k++) {
                if (types[k] == PACKED) {
                    int length = bitLength(zz[k]);
                    countByLength[length]++;
                    wideBitsByLength[length] += 8L * (2 + varintLength(zz[k])); // position, code, varint
                    max = Math.max(max, length);
                    packed++;
                } else {
                    forced = true;
                }
            }
            long bestCost = Long.MAX_VALUE;
            int bestNarrow = max;
            int bestWide = max;
            // wide: the widest length, or one of the next two present (the wider ones then exceptions)
            int candidates = 0;
            long exceptionBits = 0;
            int above = 0;
            for (int wide = max; wide >= 0 && candidates < 3; wide--) {
                if (countByLength[wide] == 0 && wide != max) {
                    continue;
                }
                candidates++;
                int packedHere = packed - above;
                long overhead = exceptionBits + (!forced && above > 0 ? 24 : 0);
                long single = (long) wide * packedHere + overhead;
                if (single < bestCost) {
                    bestCost = single;
                    bestNarrow = wide;
                    bestWide = wide;
                }
                int narrowCount = 0;
                for (int narrow = 0; narrow < wide; narrow++) {
                    narrowCount += countByLength[narrow];
                    if (countByLength[narrow] == 0) {
                        continue;
                    }
                    long cost = packedHere + (long) narrow * narrowCount + (long) wide * (packedHere - narrowCount)
                            + overhead;
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestNarrow = narrow;
                        bestWide = wide;
                    }
                }
                above += countByLength[wide];
                exceptionBits += wideBitsByLength[wide];
            }
            narrowWidth = bestNarrow;
            wideWidth = bestWide;
            return bestCost;
        }

        private void align() {
            if (bitCount > 0) {
                out.writeByte(bitBuffer);
                bitBuffer = 0;
                bitCount = 0;
            }
        }

        private void bits(long value, int width) {
            long v = value;
            int left = width;
            while (left > 0) {
                int take = Math.min(8 - bitCount, left);
                bitBuffer |= (int) (v & ((1L << take) - 1)) << bitCount;
                v >>>= take;
                left -= take;
                bitCount += take;
                if (bitCount == 8) {
                    out.writeByte(bitBuffer);
                    bitBuffer = 0;
                    bitCount = 0;
                }
            }
        }
    }

    /** Reads the chunks of a frame, one after the other. */
    static final class Reader {

        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        void seek(int position) {
            pos = position;
        }

        private long varint() {
            long result = 0;
            int shift = 0;
            while (true) {
                byte b = data[pos++];
                result |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return result;
                }
                shift += 7;
            }
        }

        private long bits(int start, long bitIndex, int width) {
            int at = start + (int) (bitIndex >>> 3);
            int shift = (int) (bitIndex & 7);
            long result = 0;
            int got = 0;
            while (got < width) {
                int b = (data[at++] & 0xFF) >>> shift;
                int take = Math.min(8 - shift, width - got);
                result |= (long) (b & ((1 << take) - 1)) << got;
                got += take;
                shift = 0;
            }
            return result;
        }

        /** The reference column distance of the next chunk, 0 when it is not predicted. */
        int reference() {
            int first = data[pos] & 0xFF;
            if (first >= ALL_NONE || (data[pos + 1] & 0x80) == 0) {
                return 0;
            }
            return data[pos + 2] & 0xFF;
        }

        /**
         * Reads a chunk of {@code n} cells against the series' states at {@code at + k}:
         * {@code reading[at + k]} tells whether the cell was a reading (then the state holds it). A
         * predicted chunk's cells are read against {@code predicted[k]}.
         */
        void read(int n, byte[] tags, long[] values, boolean[] reading, int at, long[] predicted) {
            int first = data[pos++] & 0xFF;
            if (first >= ALL_NONE) {
                Arrays.fill(reading, at, at + n, first == ALL_UNCHANGED);
                return;
            }
            int wide = first & 0x7F;
            boolean hasExceptions = (first & 0x80) != 0;
            int second = data[pos++] & 0xFF;
            int narrow = second & 0x7F;
            boolean isPredicted = (second & 0x80) != 0;
            if (isPredicted) {
                pos++;
            }
            int exceptions = 0;
            int positions = 0;
            int codes = 0;
            if (hasExceptions) {
                exceptions = (int) varint();
                positions = pos;
                pos += exceptions;
                int length = (int) varint();
                codes = pos;
                pos += length;
            }
            int packedCells = n - exceptions;
            int selectors = narrow < wide ? pos : -1;
            int packed = narrow < wide ? pos + ((packedCells + 7) >>> 3) : pos;
            int j = 0;
            int p = 0;
            long bit = 0;
            for (int k = 0; k < n; k++) {
                int i = at + k;
                if (j < exceptions && (data[positions + j] & 0xFF) == k) {
                    j++;
                    pos = codes;
                    byte code = data[pos++];
                    switch (code) {
                        case NONE -> reading[i] = false;
                        case WIDE -> {
                            values[i] = (isPredicted ? predicted[k] : values[i]) + CellCodec.unzigzag(varint());
                            reading[i] = true;
                        }
                        case NONE_SET, ABSOLUTE -> {
                            tags[i] = data[pos++];
                            values[i] = CellCodec.unzigzag(varint());
                            reading[i] = code == ABSOLUTE;
                        }
                        default -> throw new IllegalStateException("corrupt history chunk: code " + code);
                    }
                    codes = pos;
                } else {
                    int width = selectors < 0 || (data[selectors + (p >>> 3)] & (1 << (p & 7))) == 0 ? narrow : wide;
                    long difference = width == 0 ? 0 : CellCodec.unzigzag(bits(packed, bit, width));
                    values[i] = (isPredicted ? predicted[k] : values[i]) + difference;
                    reading[i] = true;
                    bit += width;
                    p++;
                }
            }
            pos = packed + (int) ((bit + 7) >>> 3);
        }
    }
}
