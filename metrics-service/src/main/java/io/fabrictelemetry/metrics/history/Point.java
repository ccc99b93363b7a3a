package io.fabrictelemetry.metrics.history;

/**
 * One point of a series: when it was sampled and the cell as it was published.
 *
 * @param sampledAtMillis the snapshot's sampledAt, epoch milliseconds
 * @param sequence        the sequence of the snapshot it came from
 * @param kind            {@link Columns#NULL}, {@link Columns#INTEGER} or {@link Columns#DECIMAL}
 * @param bits            the integer, or the raw bits of the decimal's double; 0 for no reading
 */
public record Point(long sampledAtMillis, long sequence, byte kind, long bits) {

    public boolean isNull() {
        return kind == Columns.NULL;
    }

    /** The decimal's value; only for {@link Columns#DECIMAL} points. */
    public double decimal() {
        return Double.longBitsToDouble(bits);
    }
}
