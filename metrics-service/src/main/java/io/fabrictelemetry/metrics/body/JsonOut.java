package io.fabrictelemetry.metrics.body;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import tools.jackson.core.JsonGenerator;

/**
 * JSON written as bytes by the caller, piece by piece, through a small heap buffer into a sink: the
 * ListMetrics bodies, and GetMetric's and TopSwitches' answers. A generator checks every value's place in the document, looks up
 * its escapes and copies each number through a char buffer; the encoder already knows the shape of
 * its document, so it writes the punctuation itself and each value's digits once. Strings are
 * written as Jackson writes them (the escaping ones by Jackson itself), numbers as
 * {@link io.fabrictelemetry.metrics.snapshot.Snapshot#writeValue(JsonOut, byte, long, boolean)} defines them; {@code ListMetricsEncoderTests} compares whole bodies
 * with a generator's.
 */
public final class JsonOut {

    private static final int MAX_CHUNK = 32 * 1024;

    private final OutputStream sink;
    private final byte[] buffer;
    private final int chunk;
    private int length;

    /** A writer for a large body: bytes go to the sink 32 KiB at a time. */
    public JsonOut(OutputStream sink) {
        this(sink, MAX_CHUNK);
    }

    /** A writer for a body of about {@code expectedSize} bytes (a small one needs no 32 KiB buffer). */
    public JsonOut(OutputStream sink, int expectedSize) {
        this.sink = sink;
        this.chunk = Math.max(256, Math.min(MAX_CHUNK, expectedSize));
        this.buffer = new byte[chunk];
    }

    /** Bytes that are JSON as they are. */
    public JsonOut raw(byte[] bytes) {
        if (bytes.length > chunk - length) {
            flush();
            if (bytes.length > chunk) {
                write(bytes, bytes.length);
                return this;
            }
        }
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
        return this;
    }

    /** ASCII text that is JSON as it is: punctuation, numbers, timestamps. */
    public JsonOut ascii(String text) {
        int n = text.length();
        if (n > chunk - length) {
            flush();
            if (n > chunk) {
                return raw(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** One ASCII character. */
    public JsonOut ascii(char c) {
        if (length == chunk) {
            flush();
        }
        buffer[length++] = (byte) c;
        return this;
    }

    /** ASCII characters (digits, a sign, a point). */
    public JsonOut ascii(char[] chars, int count) {
        if (count > chunk - length) {
            flush();
        }
        for (int i = 0; i < count; i++) {
            buffer[length++] = (byte) chars[i];
        }
        return this;
    }

    /** A JSON string: quoted and escaped as Jackson's generator writes it. */
    public JsonOut string(String value) {
        int n = value.length();
        if (n + 2 > chunk - length) {
            flush();
        }
        if (n + 2 <= chunk) { // copied straight in while it needs no escaping, the usual case
            int start = length;
            buffer[length++] = '"';
            for (int i = 0; i < n; i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                    length = start;
                    return raw(quoted(value));
                }
                buffer[length++] = (byte) c;
            }
            buffer[length++] = '"';
            return this;
        }
        return raw(quoted(value));
    }

    /**
     * About how many bytes {@link #string} writes for {@code value}, quotes aside: its UTF-8 bytes, a
     * control character as a six-byte escape (the most it can take), a quote or backslash as two. Never
     * below the written length, and exact for ASCII: what a body's size is estimated from.
     */
    public static int stringBytes(String value) {
        int n = value.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                bytes += 5;
            } else if (c == '"' || c == '\\') {
                bytes += 1;
            } else if (c >= 0x80) {
                // two bytes below U+0800; three above; a surrogate pair's four, two per half
                bytes += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    /** A JSON string as bytes, quoted and escaped as Jackson's generator writes it. */
    public static byte[] quoted(String value) {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(n * 3 + 2);
                try (JsonGenerator json = Bodies.JSON.createGenerator(out)) {
                    json.writeString(value);
                }
                return out.toByteArray();
            }
        }
        byte[] bytes = new byte[n + 2];
        bytes[0] = '"';
        for (int i = 0; i < n; i++) {
            bytes[i + 1] = (byte) value.charAt(i);
        }
        bytes[n + 1] = '"';
        return bytes;
    }

    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    /** A long's decimal digits, written back to front two at a time (the JDK's way, without a String). */
    public JsonOut number(long value) {
        if (20 > chunk - length) {
            flush();
        }
        length = putLong(buffer, length, value);
        return this;
    }

    /** The most bytes {@link #putLong} writes. */
    public static final int MAX_LONG_BYTES = 20;

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * A long's decimal digits as {@link Long#toString(long)} writes them, into {@code buf} from
     * {@code at} (room for {@link #MAX_LONG_BYTES}); returns the end.
     */
    public static int putLong(byte[] buf, int at, long value) {
        if (value == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, buf, at, MIN_LONG.length);
            return at + MIN_LONG.length;
        }
        int start = at;
        long rest = value;
        if (rest < 0) {
            buf[start++] = '-';
            rest = -rest;
        }
        int end = start + digits(rest);
        int pos = end;
        while (rest >= Integer.MAX_VALUE) {
            long q = rest / 100;
            int r = (int) (rest - q * 100);
            buf[--pos] = ONES[r];
            buf[--pos] = TENS[r];
            rest = q;
        }
        int small = (int) rest;
        while (small >= 100) {
            int q = small / 100;
            int r = small - q * 100;
            buf[--pos] = ONES[r];
            buf[--pos] = TENS[r];
            small = q;
        }
        if (small >= 10) {
            buf[--pos] = ONES[small];
            buf[--pos] = TENS[small];
        } else {
            buf[--pos] = (byte) ('0' + small);
        }
        return end;
    }

    /**
     * Thousandths as a decimal, as {@link Decimals#thousandths} writes them: integer digits, a point,
     * then one to three decimals without trailing zeros.
     */
    public JsonOut thousandths(long thousandths) {
        if (26 > chunk - length) {
            flush();
        }
        length = putThousandths(buffer, length, thousandths);
        return this;
    }

    /** {@link #thousandths(long)} into {@code buf} from {@code at} (room for 26 bytes); returns the end. */
    public static int putThousandths(byte[] buf, int at, long thousandths) {
        int pos = at;
        long magnitude = thousandths;
        if (thousandths < 0) {
            buf[pos++] = '-';
            magnitude = -thousandths;
        }
        long whole = magnitude / 1000;
        int fraction = (int) (magnitude - whole * 1000);
        pos = putLong(buf, pos, whole);
        buf[pos++] = '.';
        buf[pos++] = (byte) ('0' + fraction / 100);
        if (fraction % 100 != 0) {
            buf[pos++] = ONES[fraction / 10 % 10];
            if (fraction % 10 != 0) {
                buf[pos++] = (byte) ('0' + fraction % 10);
            }
        }
        return pos;
    }

    private static int digits(long positive) {
        long bound = 10;
        for (int digits = 1; digits < 19; digits++) {
            if (positive < bound) {
                return digits;
            }
            bound *= 10;
        }
        return 19;
    }

    /** Writes what is buffered to the sink. */
    public void flush() {
        if (length > 0) {
            write(buffer, length);
            length = 0;
        }
    }

    private void write(byte[] bytes, int count) {
        try {
            sink.write(bytes, 0, count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
