package io.fabrictelemetry.metrics.history;

/**
 * How a cell becomes an integer relative to its series' state (its previous value), before
 * {@link Chunk} packs a block's column of them.
 *
 * <p>Cells are integers or decimals with few significant digits, so a decimal is stored as a
 * scaled integer {@code m} with {@code value == m / 10^k} exactly (bit for bit), or as its raw bits
 * when no {@code k <= 22} is exact. A series' state is a tag (integer, decimal of scale {@code k},
 * raw double) and the last value in that tag's integer form. The scale is sticky: {@code 31.2}
 * after {@code 31.25} stays at scale 2, so a trailing zero never changes the tag.
 */
final class CellCodec {

    static final byte TAG_INTEGER = 0;
    static final byte TAG_RAW = 1;
    /** Decimal of scale k is tag {@code TAG_SCALED + k}. */
    static final byte TAG_SCALED = 2;
    /** Up to 10^22, the largest power of ten a double holds exactly: UFM writes {@code 5.48295e-7} (scale 12). */
    static final int MAX_SCALE = 22;

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
            1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
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
    static void encode(byte kind, long bits, byte[] tags, long[] values, int i, Chunk.Writer out) {
        if (kind == Columns.NULL) {
            out.none();
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
        out.put(tag, value, tags, values, i);
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
}
