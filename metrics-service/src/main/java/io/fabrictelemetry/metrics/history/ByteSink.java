package io.fabrictelemetry.metrics.history;

import java.util.Arrays;

/** A growable byte array written with LEB128 varints; reused across frames by the single writer. */
final class ByteSink {

    private byte[] buf;
    private int size;

    ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }

    void writeByte(int b) {
        if (size == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[size++] = (byte) b;
    }

    /** An unsigned varint: 7 bits per byte, low groups first, high bit set on all but the last. */
    void writeVarint(long value) {
        if (size + 10 > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + 10));
        }
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }
}
