package io.fabrictelemetry.metrics.api;

import java.util.Arrays;

import io.fabrictelemetry.metrics.snapshot.JsonOut;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A small JSON document assembled from pieces into one byte array: the answers of GetMetric and
 * TopSwitches, a few hundred bytes each, built per request. Writing the punctuation and the
 * precomputed texts (timestamps, {@code Snapshot.valueText}) straight into bytes costs a fraction
 * of a Jackson generator (created, pooled buffers acquired and released, every string scanned for
 * escapes) for the same bytes; a string that needs escaping or is not ASCII is still written by
 * the API's JSON generator, so the output is what a {@code JsonGenerator} writes.
 */
final class JsonText {

    private byte[] bytes;
    private int length;

    JsonText(int capacity) {
        bytes = new byte[capacity];
    }

    /** Text that is valid JSON as it is and ASCII only: punctuation, numbers, timestamps. */
    JsonText raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** A JSON string: quoted, escaped as Jackson does, UTF-8. */
    JsonText string(String value) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                byte[] quoted = JsonOut.quoted(value);
                ensure(quoted.length);
                System.arraycopy(quoted, 0, bytes, length, quoted.length);
                length += quoted.length;
                return this;
            }
        }
        ensure(n + 2);
        bytes[length++] = '"';
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) value.charAt(i);
        }
        bytes[length++] = '"';
        return this;
    }

    /** The document, wrapped without a copy. */
    ByteBuf toByteBuf() {
        return Unpooled.wrappedBuffer(bytes, 0, length);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
