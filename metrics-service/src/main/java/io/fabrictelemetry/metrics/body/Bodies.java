package io.fabrictelemetry.metrics.body;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Large response bodies built once and served many times are kept off the heap, in a direct
 * buffer: Netty writes a direct buffer to the socket as is, while a heap array is first copied
 * into a direct buffer of its full size on every write (17 MB per ListMetrics at 100,000 switches,
 * for every concurrent client). Off-heap, a 256 MB heap holds 100,000 switches under a flood.
 */
public final class Bodies {

    /**
     * The JSON factory of every body the API encodes, so that a value reads the same in each. Its
     * doubles are written with Schubfach (Jackson's fast writer: the shortest text that reads back
     * as the same double) instead of JDK 17's {@code Double.toString}, which was two thirds of the
     * ListMetrics encoding time at 100,000 switches.
     */
    public static final JsonFactory JSON = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

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

    /**
     * A byte sink that writes straight into a direct buffer: a large body (17 MB of ListMetrics at
     * 100,000 switches) never exists on the heap, so it costs no humongous heap array and no
     * heap-to-direct copy. Sized up front from an estimate; grows by half when the estimate was
     * short, and is copied once into a buffer of the exact size only when more than an eighth of
     * it would otherwise be wasted.
     */
    public static final class DirectSink extends OutputStream {

        private ByteBuffer buffer;

        public DirectSink(int expectedSize) {
            buffer = ByteBuffer.allocateDirect(Math.max(64, expectedSize));
        }

        @Override
        public void write(int b) {
            reserve(1);
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            reserve(length);
            buffer.put(bytes, offset, length);
        }

        private void reserve(int more) {
            if (buffer.remaining() < more) {
                long wanted = Math.max((long) buffer.capacity() * 3 / 2, (long) buffer.position() + more);
                ByteBuffer bigger = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, wanted));
                bigger.put(buffer.flip());
                buffer = bigger;
            }
        }

        /** Appends the remaining bytes of {@code bytes}. */
        public void write(ByteBuffer bytes) {
            reserve(bytes.remaining());
            buffer.put(bytes);
        }

        /** The bytes written, as a buffer positioned at 0 (no copy). The sink must not be written to after. */
        public ByteBuffer written() {
            return buffer.duplicate().flip();
        }

        /** How many bytes were written. */
        public int size() {
            return buffer.position();
        }

        /** The bytes written, as a read-only buffer positioned at 0. The sink must not be written to after. */
        public ByteBuffer toReadOnlyBuffer() {
            ByteBuffer written = buffer.duplicate().flip();
            if (buffer.capacity() - written.limit() > buffer.capacity() / 8) {
                ByteBuffer exact = ByteBuffer.allocateDirect(written.remaining());
                exact.put(written).flip();
                written = exact;
            }
            return written.slice().asReadOnlyBuffer();
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
