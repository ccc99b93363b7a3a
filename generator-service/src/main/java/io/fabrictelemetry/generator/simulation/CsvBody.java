package io.fabrictelemetry.generator.simulation;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A rendered CSV body: the first {@code length} bytes of {@code bytes}, the buffer it was written
 * into. Served as is, without trimming it to size, so that a port view of hundreds of MB is never
 * held twice while a generation is published. Immutable by convention, like {@link Generation}.
 *
 * @param bytes  the buffer; bytes past {@code length} are not part of the body
 * @param length the body's size in bytes
 */
public record CsvBody(byte[] bytes, int length) {

    public CsvBody {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length " + length + " outside a buffer of " + bytes.length);
        }
    }

    /** A read-only view of the body, positioned at its start. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes, 0, length).slice().asReadOnlyBuffer();
    }

    /** A copy of the body, trimmed to size. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CsvBody body
                && Arrays.equals(bytes, 0, length, body.bytes, 0, body.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < length; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    @Override
    public String toString() {
        return "CsvBody[" + length + " bytes]";
    }
}
