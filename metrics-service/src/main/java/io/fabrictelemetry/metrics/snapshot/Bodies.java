package io.fabrictelemetry.metrics.snapshot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Large response bodies built once and served many times are kept off the heap, in a direct
 * buffer: Netty writes a direct buffer to the socket as is, while a heap array is first copied
 * into a direct buffer of its full size on every write (17 MB per ListMetrics at 100,000 switches,
 * for every concurrent client). Off-heap, a 256 MB heap holds 100,000 switches under a flood.
 */
public final class Bodies {

    private Bodies() {
    }

    /** A growable byte sink whose content can be copied out once, without the extra toByteArray copy. */
    public static final class Sink extends ByteArrayOutputStream {

        public Sink(int expectedSize) {
            super(Math.max(64, expectedSize));
        }

        /** The bytes written, in a new read-only direct buffer. */
        public ByteBuffer toDirectBuffer() {
            ByteBuffer direct = ByteBuffer.allocateDirect(count);
            direct.put(buf, 0, count).flip();
            return direct.asReadOnlyBuffer();
        }
    }

    /** A copy of a body on the heap, for the rare consumer that needs an array (gzip, tests). */
    public static byte[] toArray(ByteBuffer body) {
        ByteBuffer view = body.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
