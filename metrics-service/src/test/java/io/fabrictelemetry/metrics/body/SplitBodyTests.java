package io.fabrictelemetry.metrics.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** A body written as a head and a tail by two writers reads as the head then the tail, whatever room each had. */
class SplitBodyTests {

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /** Writes in pieces of uneven length, as a writer's flushes do. */
    private static void write(OutputStream out, byte[] bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(bytes.length);
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(5000));
            out.write(bytes, at, n);
            at += n;
        }
    }

    private static byte[] joined(int capacity, int tailStart, byte[] head, byte[] tail) throws IOException {
        SplitBody body = new SplitBody(ByteBuffer.allocateDirect(capacity), tailStart);
        write(body.head(), head);
        write(body.tail(), tail);
        ByteBuffer joined = body.join();
        assertThat(joined.position()).isZero();
        assertThat(joined.isReadOnly()).isTrue();
        return Bodies.toArray(joined);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    @Test
    void tailWrittenPastTheHeadsEndIsMovedDownAgainstIt() throws IOException {
        byte[] head = bytes(3_000_000, 1);
        byte[] tail = bytes(2_500_000, 2); // longer than one move chunk, and overlapping its old place
        assertThat(joined(5_800_000, 3_200_000, head, tail)).isEqualTo(concat(head, tail));
    }

    @Test
    void headThatOutgrowsItsRoomGoesOnInASpill() throws IOException {
        byte[] head = bytes(100_000, 3);
        byte[] tail = bytes(50_000, 4);
        assertThat(joined(200_000, 60_000, head, tail)).isEqualTo(concat(head, tail));
    }

    @Test
    void tailThatOutgrowsTheBufferGoesOnInASpill() throws IOException {
        byte[] head = bytes(10_000, 5);
        byte[] tail = bytes(90_000, 6);
        assertThat(joined(50_000, 12_000, head, tail)).isEqualTo(concat(head, tail));
    }

    @Test
    void bufferFarLargerThanTheBodyIsTrimmedToTheExactSize() throws IOException {
        SplitBody body = new SplitBody(ByteBuffer.allocateDirect(100_000), 50_000);
        write(body.head(), bytes(1_000, 7));
        write(body.tail(), bytes(1_000, 8));
        ByteBuffer joined = body.join();
        assertThat(joined.capacity()).isEqualTo(2_000);
        assertThat(Bodies.toArray(joined)).isEqualTo(concat(bytes(1_000, 7), bytes(1_000, 8)));
    }

    @Test
    void emptyPartsJoinToWhatTheOtherHolds() throws IOException {
        assertThat(joined(10_000, 5_000, new byte[0], bytes(9_000, 9))).isEqualTo(bytes(9_000, 9));
        assertThat(joined(10_000, 9_500, bytes(9_000, 10), new byte[0])).isEqualTo(bytes(9_000, 10));
    }

    @Test
    void joinedBodyCannotBeWritten() throws IOException {
        SplitBody body = new SplitBody(ByteBuffer.allocateDirect(1000), 500);
        body.head().write(bytes(450, 11));
        body.tail().write(bytes(450, 12));
        ByteBuffer joined = body.join();
        assertThatExceptionOfType(ReadOnlyBufferException.class).isThrownBy(() -> joined.put(0, (byte) 1));
    }
}
