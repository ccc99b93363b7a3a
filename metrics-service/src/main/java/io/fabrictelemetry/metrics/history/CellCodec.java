package io.fabrictelemetry.metrics.history;

/**
 * The encoding of one cell of a series, relative to the series' state (its previous value).
 *
 * <p>Cells are integers or decimals with few fractional digits, so a decimal is stored as a scaled
 * integer {@code m} with {@code value == m / 10^k} exactly (bit for bit), or as its raw bits when no
 * {@code k <= 9} is exact. A series' state is a tag (integer, decimal of scale {@code k}, raw double)
 * and the last value in that tag's integer form. The scale is sticky: {@code 31.2} after
 * {@code 31.25} stays at scale 2, so a trailing zero never costs an escape.
 *
 * <p>Each cell is one unsigned varint, optionally followed by an escape's operands:
 * <ul>
 * <li>{@code zigzag(delta) << 1}: same tag, value = previous + delta (the common case: one byte for
 * |delta| &le; 32, two up to 4096);</li>
 * <li>{@code 0b001} (1): no reading; the state is kept, so the next value is a delta from the last
 * reading;</li>
 * <li>{@code 0b011} (3), tag byte, zigzag varint: no reading, and the state becomes (tag, value): how a
 * key frame restores a state that only older frames established;</li>
 * <li>{@code 0b101} (5), tag byte, zigzag varint: a new tag, or a delta too wide for a varint, with its
 * absolute value.</li>
 * </ul>
 * Subtraction wraps, so any two longs have a delta and decoding is exact for every input.
 */
final class CellCodec {

    static final byte TAG_INTEGER = 0;
    static final byte TAG_RAW = 1;
    /** Decimal of scale k is tag {@code TAG_SCALED + k}. */
    static final byte TAG_SCALED = 2;
    static final int MAX_SCALE = 9;

    static final int NO_READING = 1;
    static final int NO_READING_SET = 3;
    static final int ABSOLUTE = 5;

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private static final double EXACT_LIMIT = 0x1p53;
    private static final long NOT_EXACT = Long.MIN_VALUE;

    private CellCodec() {
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long z) {
        return (z >>> 1) ^ -(z & 1);
    }

    /** {@code d} as an integer m with m / 10^k == d bit for bit, or {@link #NOT_EXACT}. */
    static long scaled(double d, int k) {
        double product = d * POW10[k];
        if (!(Math.abs(product) < EXACT_LIMIT)) {
            return NOT_EXACT;
        }
        long m = Math.round(product);
        return Double.doubleToRawLongBits(m / POW10[k]) == Double.doubleToRawLongBits(d) ? m : NOT_EXACT;
    }

    static double unscaled(long m, int k) {
        return m / POW10[k];
    }

    /**
     * Appends one cell to {@code out}, relative to the state at {@code i}, and advances that state.
     */
    static void encode(byte kind, long bits, byte[] tags, long[] values, int i, ByteSink out) {
        if (kind == Columns.NULL) {
            out.writeVarint(NO_READING);
            return;
        }
        byte tag;
        long value;
        if (kind == Columns.INTEGER) {
            tag = TAG_INTEGER;
            value = bits;
        } else {
            double d = Double.longBitsToDouble(bits);
            byte current = tags[i];
            long m = current >= TAG_SCALED ? scaled(d, current - TAG_SCALED) : NOT_EXACT;
            if (m != NOT_EXACT) {
                tag = current;
                value = m;
            } else {
                tag = TAG_RAW;
                value = bits;
                for (int k = 0; k <= MAX_SCALE; k++) {
                    m = scaled(d, k);
                    if (m != NOT_EXACT) {
                        tag = (byte) (TAG_SCALED + k);
                        value = m;
                        break;
                    }
                }
            }
        }
        put(tag, value, tags, values, i, out);
    }

    /** Writes a reading (tag, value) relative to the state at {@code i} and makes it the state. */
    static void put(byte tag, long value, byte[] tags, long[] values, int i, ByteSink out) {
        long zz = zigzag(value - values[i]);
        if (tag == tags[i] && zz >= 0) { // zz < 2^63: shifting it left loses nothing
            out.writeVarint(zz << 1);
        } else {
            out.writeVarint(ABSOLUTE);
            out.writeByte(tag);
            out.writeVarint(zigzag(value));
        }
        tags[i] = tag;
        values[i] = value;
    }

    /** The reading a state (tag, value) stands for: its kind and 64 bits, as {@link Columns} has them. */
    static long bitsOf(byte tag, long value) {
        return switch (tag) {
            case TAG_INTEGER, TAG_RAW -> value;
            default -> Double.doubleToRawLongBits(unscaled(value, tag - TAG_SCALED));
        };
    }

    static byte kindOf(byte tag) {
        return tag == TAG_INTEGER ? Columns.INTEGER : Columns.DECIMAL;
    }

    /** Reads cells from an encoded frame. */
    static final class Reader {

        private final byte[] data;
        private int pos;

        Reader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        long varint() {
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

        /**
         * Decodes one cell against the state at {@code i}, advancing it. Returns true for a reading
         * (then the state holds it), false for no reading.
         */
        boolean next(byte[] tags, long[] values, int i) {
            long u = varint();
            if ((u & 1) == 0) {
                values[i] += unzigzag(u >>> 1);
                return true;
            }
            if (u == NO_READING) {
                return false;
            }
            if (u != NO_READING_SET && u != ABSOLUTE) {
                throw new IllegalStateException("corrupt history frame: escape " + u + " at " + (pos - 1));
            }
            tags[i] = data[pos++];
            values[i] = unzigzag(varint());
            return u == ABSOLUTE;
        }

        /** Skips one cell. */
        void skip() {
            long u = varint();
            if (u == NO_READING_SET || u == ABSOLUTE) {
                pos++;
                varint();
            }
        }
    }
}
