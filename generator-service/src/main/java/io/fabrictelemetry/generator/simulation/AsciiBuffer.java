package io.fabrictelemetry.generator.simulation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer for ASCII text, written without a {@code String} per value: the port view
 * of a 200,000-port fabric is some 60 MB a generation, and each cell going through a {@code String}
 * would triple the work.
 */
final class AsciiBuffer {

    private static final long[] POWERS = new long[19];
    /** The tens and the ones digit of 0..99. */
    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
        long power = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = power;
            power *= 10;
        }
    }

    private byte[] bytes;
    private int length;

    AsciiBuffer(int capacity) {
        this.bytes = new byte[Math.max(16, capacity)];
    }

    int length() {
        return length;
    }

    /** Makes room for {@code extra} more bytes; the appends below assume the caller did for long runs. */
    void reserve(int extra) {
        if (length + extra > bytes.length) {
            // a modest step: the buffer of a port view is hundreds of MB, and growing copies it
            long wanted = Math.max((long) length + extra, bytes.length + (bytes.length >> 3));
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("body over 2 GB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }

    AsciiBuffer append(byte b) {
        reserve(1);
        bytes[length++] = b;
        return this;
    }

    AsciiBuffer append(byte[] text) {
        reserve(text.length);
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
        return this;
    }

    AsciiBuffer append(String ascii) {
        return append(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** A non-negative integer in decimal, two digits a step (a 14-digit byte counter is 7 steps, not 14). */
    AsciiBuffer appendLong(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        if (value < 10) {
            reserve(1);
            bytes[length++] = (byte) ('0' + value);
            return this;
        }
        int digits = digits(value);
        reserve(digits);
        int position = length + digits;
        byte[] b = bytes;
        while (value > Integer.MAX_VALUE) {
            long quotient = value / 100;
            int pair = (int) (value - quotient * 100);
            b[--position] = ONES[pair];
            b[--position] = TENS[pair];
            value = quotient;
        }
        int small = (int) value;
        while (small >= 100) {
            int quotient = small / 100;
            int pair = small - quotient * 100;
            b[--position] = ONES[pair];
            b[--position] = TENS[pair];
            small = quotient;
        }
        if (small >= 10) {
            b[--position] = ONES[small];
            b[--position] = TENS[small];
        } else {
            b[--position] = (byte) ('0' + small);
        }
        length += digits;
        return this;
    }

    static int digits(long value) {
        int digits = 1;
        while (digits < POWERS.length && value >= POWERS[digits]) {
            digits++;
        }
        return digits;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    /** The bytes written so far, in the buffer they were written into (no copy); the buffer is not written again. */
    CsvBody toBody() {
        return new CsvBody(bytes, length);
    }
}
