package io.fabrictelemetry.metrics.body;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One direct buffer written by two threads at once: the head from the start, the tail from an
 * offset past where the head is expected to end; {@link #join} then moves the tail down against
 * the head, so the body is one buffer without a second one of half its size to copy from (a
 * 444 MB ListMetrics body at 200,000 ports: allocating and zeroing direct memory costs about as
 * much as writing it). A part that outgrows its room goes on in a heap spill, and the join copies
 * everything into a buffer of the exact size: slower, never wrong.
 */
public final class SplitBody {

    private static final int MOVE_CHUNK = 1 << 20;

    private final ByteBuffer buffer;
    private final int tailStart;
    private final Part head;
    private final Part tail;

    /**
     * @param buffer    a direct buffer, positioned at 0, its capacity the room for both parts
     * @param tailStart where the tail starts: at least the head's expected length
     */
    public SplitBody(ByteBuffer buffer, int tailStart) {
        if (tailStart < 0 || tailStart > buffer.capacity()) {
            throw new IllegalArgumentException("tail start " + tailStart + " outside 0.." + buffer.capacity());
        }
        this.buffer = buffer;
        this.tailStart = tailStart;
        this.head = new Part(buffer.duplicate().clear().limit(tailStart));
        this.tail = new Part(buffer.duplicate().clear().position(tailStart));
    }

    /** Where the head is written (by one thread). */
    public OutputStream head() {
        return head;
    }

    /** Where the tail is written (by one thread, while another writes the head). */
    public OutputStream tail() {
        return tail;
    }

    /**
     * Head then tail, as one read-only buffer positioned at 0: the room of this buffer when no part
     * outgrew its own and no more than an eighth of it is left empty, else an exact copy. Call once,
     * after both writers are done (a happens-before edge with them, such as a join).
     */
    public ByteBuffer join() {
        int headLength = head.window.position();
        int tailLength = tail.window.position() - tailStart;
        long total = (long) headLength + head.spilled() + tailLength + tail.spilled();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("body of " + total + " bytes: larger than a buffer can hold");
        }
        boolean spilled = head.spill != null || tail.spill != null;
        if (spilled || buffer.capacity() - total > buffer.capacity() / 8) {
            ByteBuffer exact = ByteBuffer.allocateDirect((int) total);
            exact.put(buffer.duplicate().clear().limit(headLength));
            head.copySpill(exact);
            exact.put(buffer.duplicate().clear().position(tailStart).limit(tailStart + tailLength));
            tail.copySpill(exact);
            return exact.flip().asReadOnlyBuffer();
        }
        if (tailStart > headLength) {
            moveDown(tailStart, headLength, tailLength);
        }
        return buffer.duplicate().clear().limit(headLength + tailLength).slice().asReadOnlyBuffer();
    }

    /** Copies {@code length} bytes from {@code from} to {@code to < from}, front to back: a chunk is read before its bytes are overwritten. */
    private void moveDown(int from, int to, int length) {
        byte[] chunk = new byte[Math.min(MOVE_CHUNK, Math.max(1, length))];
        ByteBuffer source = buffer.duplicate().clear();
        ByteBuffer target = buffer.duplicate().clear();
        for (int done = 0; done < length; ) {
            int n = Math.min(chunk.length, length - done);
            source.position(from + done);
            source.get(chunk, 0, n);
            target.position(to + done);
            target.put(chunk, 0, n);
            done += n;
        }
    }

    /** A part's room in the buffer, then its spill. */
    private static final class Part extends OutputStream {

        private final ByteBuffer window;
        private ByteArrayOutputStream spill;

        Part(ByteBuffer window) {
            this.window = window;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            if (spill == null && window.remaining() >= length) {
                window.put(bytes, offset, length);
                return;
            }
            if (spill == null) {
                spill = new ByteArrayOutputStream(Math.max(1 << 16, length));
            }
            spill.write(bytes, offset, length);
        }

        long spilled() {
            return spill == null ? 0 : spill.size();
        }

        void copySpill(ByteBuffer into) {
            if (spill != null) {
                into.put(spill.toByteArray());
            }
        }
    }
}
