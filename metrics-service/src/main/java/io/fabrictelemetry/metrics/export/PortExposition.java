package io.fabrictelemetry.metrics.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.io.NumberOutput;

/**
 * The Prometheus text export of a snapshot of port rows: one series per port and column, labelled
 * {@code switch} (the node GUID as the source wrote it), {@code port} and {@code description} (the
 * switch's {@code node_description}, when known); no reading, no sample; switch aggregates and
 * derived rates are not exported (Prometheus sums and computes {@code rate()} itself).
 *
 * <p>At 200,000 ports × 30 columns this is 6 million samples, some 600 MB of text: written here
 * rather than through the client library's data-point objects (one per sample), the labels of each
 * port encoded once, and compressed as it is written, so that only the gzip (about a seventeenth of
 * the text) is ever held. A client that does not take gzip is sent the text inflated again, in
 * chunks, off the event loop. The text is what Prometheus's own writer gives for the same series
 * (HELP, TYPE, a counter's {@code _total}, escaping), save the number format: a whole number is
 * written as an integer ({@code 17}, not {@code 17.0}), which also keeps counters beyond 2^53 exact.
 */
final class PortExposition {

    /** The gzip of the text, in chunks of this size off the heap (no humongous array, no copy to grow). */
    static final int CHUNK_BYTES = 1 << 20;
    private static final int TEXT_BUFFER_BYTES = 1 << 16;
    private static final byte[] SWITCH = "{switch=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PORT = "\",port=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DESCRIPTION = "\",description=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"} ".getBytes(StandardCharsets.US_ASCII);
    /** Whole doubles below this are written as integers: every one of them is exact. */
    private static final double EXACT_INTEGERS = 0x1p53;

    /**
     * One snapshot's export: its gzip, as read-only buffers, and the length of the text it inflates to.
     *
     * @param gzip          the gzip stream, in order
     * @param gzipBytes     the bytes of {@code gzip} together
     * @param identityBytes the bytes of the text
     * @param samples       how many samples the text holds
     */
    record Encoded(List<ByteBuffer> gzip, long gzipBytes, long identityBytes, long samples) {

        /** The gzip as data buffers over the same memory, never copied. */
        Flux<DataBuffer> gzipBody() {
            return Flux.fromIterable(gzip).map(chunk -> DefaultDataBufferFactory.sharedInstance.wrap(chunk.duplicate()));
        }

        /** The text, inflated chunk by chunk on a worker as the client reads it. */
        Flux<DataBuffer> identityBody() {
            return Flux.using(() -> new GZIPInputStream(new BuffersInputStream(gzip), TEXT_BUFFER_BYTES),
                    in -> Flux.<DataBuffer>generate(sink -> {
                        try {
                            byte[] chunk = new byte[TEXT_BUFFER_BYTES];
                            int read = in.readNBytes(chunk, 0, chunk.length);
                            if (read == 0) {
                                sink.complete();
                            } else {
                                sink.next(DefaultDataBufferFactory.sharedInstance.wrap(ByteBuffer.wrap(chunk, 0, read)));
                            }
                        } catch (IOException e) {
                            sink.error(new UncheckedIOException(e));
                        }
                    }),
                    PortExposition::closeQuietly)
                    .subscribeOn(Schedulers.boundedElastic());
        }
    }

    private PortExposition() {
    }

    /**
     * The export of a snapshot of port rows.
     *
     * @param series the series of each of the snapshot's payload columns, {@code null} for a column left out
     */
    static Encoded encode(Snapshot snapshot, PortView ports, List<@Nullable FabricSeries> series) {
        Labels labels = Labels.of(snapshot, ports);
        ChunkSink sink = new ChunkSink();
        Text text;
        try (GZIPOutputStream gzip = new GZIPOutputStream(sink, TEXT_BUFFER_BYTES) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            text = new Text(gzip);
            for (int column = 0; column < series.size(); column++) {
                FabricSeries family = series.get(column);
                if (family != null) {
                    writeFamily(text, ports, column, family, labels);
                }
            }
            text.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink is memory: it does not fail
        }
        return new Encoded(sink.chunks(), sink.size(), text.written, text.samples);
    }

    private static void writeFamily(Text text, PortView ports, int column, FabricSeries family, Labels labels)
            throws IOException {
        byte[] name = (family.counter() ? family.name() + "_total" : family.name()).getBytes(StandardCharsets.US_ASCII);
        boolean asIs = family.factor() == 1;
        boolean header = false;
        int portCount = ports.portCount();
        for (int port = 0; port < portCount; port++) {
            byte kind = ports.cellKind(port, column);
            if (kind == CellKind.NONE) {
                continue;
            }
            if (!header) { // a family without a sample is left out, as the client library's writer does
                text.ascii("# HELP ").bytes(name).ascii(" ").utf8(escapeHelp(family.help())).ascii("\n# TYPE ")
                        .bytes(name).ascii(family.counter() ? " counter\n" : " gauge\n");
                header = true;
            }
            long bits = ports.cellBits(port, column);
            text.bytes(name).bytes(labels.all, labels.start[port], labels.start[port + 1] - labels.start[port]);
            if (kind == CellKind.INTEGER && asIs) {
                text.number(bits);
            } else {
                double value = kind == CellKind.INTEGER ? (double) bits : Double.longBitsToDouble(bits);
                text.number(asIs ? value : family.toBaseUnit(value));
            }
            text.newline();
            text.samples++;
        }
    }

    /** The HELP text as the text format wants it: backslash and line feed escaped. */
    static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
    static String escapeLabelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * Every port's label set, {@code {switch="…",port="…",description="…"} } with the space before
     * the value, encoded once per snapshot into one array: port {@code p}'s are
     * {@code all[start[p], start[p + 1])}.
     */
    private record Labels(byte[] all, int[] start) {

        static Labels of(Snapshot snapshot, PortView ports) {
            int switches = snapshot.switchCount();
            byte[][] head = new byte[switches][];
            byte[][] tail = new byte[switches][];
            long size = 0;
            for (int s = 0; s < switches; s++) {
                head[s] = concat(SWITCH, escapeLabelValue(snapshot.switchId(s)).getBytes(StandardCharsets.UTF_8), PORT);
                String description = snapshot.description(s);
                tail[s] = description == null || description.isEmpty() ? END
                        : concat(DESCRIPTION, escapeLabelValue(description).getBytes(StandardCharsets.UTF_8), END);
                size += (long) (ports.endPort(s) - ports.firstPort(s)) * (head[s].length + 11 + tail[s].length);
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("the ports' labels take " + size + " bytes, more than an array holds");
            }
            byte[] all = new byte[(int) size];
            int[] start = new int[ports.portCount() + 1];
            int at = 0;
            for (int s = 0; s < switches; s++) {
                for (int port = ports.firstPort(s); port < ports.endPort(s); port++) {
                    start[port] = at;
                    System.arraycopy(head[s], 0, all, at, head[s].length);
                    at += head[s].length;
                    byte[] number = Integer.toString(ports.portNumber(port)).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(number, 0, all, at, number.length);
                    at += number.length;
                    System.arraycopy(tail[s], 0, all, at, tail[s].length);
                    at += tail[s].length;
                }
            }
            start[ports.portCount()] = at;
            return new Labels(all, start);
        }

        private static byte[] concat(byte[] a, byte[] b, byte[] c) {
            byte[] all = new byte[a.length + b.length + c.length];
            System.arraycopy(a, 0, all, 0, a.length);
            System.arraycopy(b, 0, all, a.length, b.length);
            System.arraycopy(c, 0, all, a.length + b.length, c.length);
            return all;
        }
    }

    /** The text, buffered, counted, into the compressor. */
    private static final class Text {

        private final OutputStream out;
        private final byte[] buffer = new byte[TEXT_BUFFER_BYTES];
        private final byte[] digits = new byte[20];
        private int position;
        long written;
        long samples;

        Text(OutputStream out) {
            this.out = out;
        }

        Text bytes(byte[] bytes) throws IOException {
            return bytes(bytes, 0, bytes.length);
        }

        Text bytes(byte[] bytes, int offset, int length) throws IOException {
            if (length > buffer.length - position) {
                flush();
                if (length > buffer.length) {
                    out.write(bytes, offset, length);
                    written += length;
                    return this;
                }
            }
            System.arraycopy(bytes, offset, buffer, position, length);
            position += length;
            written += length;
            return this;
        }

        Text ascii(String text) throws IOException {
            return bytes(text.getBytes(StandardCharsets.US_ASCII));
        }

        Text utf8(String text) throws IOException {
            return bytes(text.getBytes(StandardCharsets.UTF_8));
        }

        void newline() throws IOException {
            if (position == buffer.length) {
                flush();
            }
            buffer[position++] = '\n';
            written++;
        }

        void number(long value) throws IOException {
            if (value == Long.MIN_VALUE) {
                ascii(Long.toString(value));
                return;
            }
            int length;
            if (value < 0) {
                length = digits(-value, digits);
                digits[digits.length - ++length] = '-';
            } else {
                length = digits(value, digits);
            }
            bytes(digits, digits.length - length, length);
        }

        void number(double value) throws IOException {
            if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGERS) {
                number((long) value); // also -0.0, written 0
            } else if (Double.isInfinite(value)) {
                ascii(value > 0 ? "+Inf" : "-Inf"); // a reading times a unit factor beyond a double
            } else {
                ascii(NumberOutput.toString(value, true));
            }
        }

        /** The decimal digits of a value ≥ 0, right-aligned at the end of {@code into}; returns how many. */
        static int digits(long value, byte[] into) {
            int at = into.length;
            do {
                into[--at] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value != 0);
            return into.length - at;
        }

        void flush() throws IOException {
            out.write(buffer, 0, position);
            position = 0;
        }
    }

    /** Bytes into direct buffers of {@link #CHUNK_BYTES}: a body that never has to be copied to grow. */
    private static final class ChunkSink extends OutputStream {

        private final List<ByteBuffer> chunks = new ArrayList<>();
        private @Nullable ByteBuffer current;
        private long size;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            while (length > 0) {
                ByteBuffer chunk = current;
                if (chunk == null || !chunk.hasRemaining()) {
                    chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
                    chunks.add(chunk);
                    current = chunk;
                }
                int n = Math.min(length, chunk.remaining());
                chunk.put(bytes, offset, n);
                offset += n;
                length -= n;
                size += n;
            }
        }

        long size() {
            return size;
        }

        /** The chunks written, read-only, each positioned at 0; nothing may be written after. */
        List<ByteBuffer> chunks() {
            List<ByteBuffer> written = new ArrayList<>(chunks.size());
            for (ByteBuffer chunk : chunks) {
                written.add(chunk.duplicate().flip().slice().asReadOnlyBuffer());
            }
            return Collections.unmodifiableList(written);
        }
    }

    /** Buffers read one after the other, as one stream. */
    private static final class BuffersInputStream extends InputStream {

        private final List<ByteBuffer> buffers;
        private int index;
        private @Nullable ByteBuffer current;

        BuffersInputStream(List<ByteBuffer> buffers) {
            this.buffers = buffers;
        }

        private @Nullable ByteBuffer current() {
            while (current == null || !current.hasRemaining()) {
                if (index == buffers.size()) {
                    return null;
                }
                current = buffers.get(index++).duplicate();
            }
            return current;
        }

        @Override
        public int read() {
            ByteBuffer buffer = current();
            return buffer == null ? -1 : buffer.get() & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            ByteBuffer buffer = current();
            if (buffer == null) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(bytes, offset, n);
            return n;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // an in-memory stream: nothing to report
        }
    }
}
