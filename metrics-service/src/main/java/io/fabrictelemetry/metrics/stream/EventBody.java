package io.fabrictelemetry.metrics.stream;

import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The data of one stream event: one snapshot's ListMetrics for one filter, in a read-only direct
 * buffer that every client with that filter sends without a copy. Direct because Netty copies a heap
 * buffer into a direct one of its own for each connection it writes to; a JDK buffer (not one of
 * Netty's pools) because then nothing must be released: each send wraps it in a {@link ByteBuf} of
 * its own, which Netty releases once written, and the memory goes with the last reference.
 * Equal only to itself: two bodies are two blocks of memory, whatever their bytes.
 */
final class EventBody {

    private final long sequence;
    private final ByteBuffer data;

    EventBody(long sequence, ByteBuffer data) {
        this.sequence = sequence;
        this.data = data.isDirect() ? data.asReadOnlyBuffer() : copyToDirect(data);
    }

    private static ByteBuffer copyToDirect(ByteBuffer heap) {
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining());
        direct.put(heap.duplicate()).flip();
        return direct.asReadOnlyBuffer();
    }

    /** The sequence of the snapshot this is the data of. */
    long sequence() {
        return sequence;
    }

    /** Bytes of data. */
    int size() {
        return data.remaining();
    }

    /** A new buffer over the data for one send: its release (by Netty, once written) frees nothing shared. */
    ByteBuf wrap() {
        return Unpooled.wrappedBuffer(data.duplicate());
    }
}
