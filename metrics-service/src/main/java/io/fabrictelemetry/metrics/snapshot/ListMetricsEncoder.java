package io.fabrictelemetry.metrics.snapshot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.body.Decimals;
import io.fabrictelemetry.metrics.body.JsonOut;
import io.fabrictelemetry.metrics.body.SplitBody;


/** Encodes the ListMetrics body of a snapshot, once, when the snapshot is built. */
public final class ListMetricsEncoder {

    private static final byte[] ZERO = {'0', '.', '0'};

    private ListMetricsEncoder() {
    }

    /**
     * Encodes straight into a direct buffer (see {@link Bodies.DirectSink}), walking the cells in
     * the order they are stored (row-major: a switch's metrics side by side), as the parser wrote them.
     *
     * <p>The buffer is sized so that it neither grows (a copy of the whole body into one half as
     * large again) nor ends more than an eighth empty (a copy to size): the generator's values
     * from the previous body, which are about as long from one payload to the next, and the
     * rates exactly, which are not (a reset of every counter turns 100,000 rates of {@code 0.0}
     * into longer numbers).
     *
     * @param generatorSizeHint expected size in bytes of the body without its rates (from the
     *                          previous snapshot, {@link #generatorBytes}), or 0 for none
     */
    static ByteBuffer encode(Snapshot snapshot, long generatorSizeHint) {
        return encode(snapshot, generatorSizeHint, null);
    }

    /**
     * As {@link #encode(Snapshot, long)}, into {@code reserved} when it is large enough (a direct
     * buffer allocated meanwhile by {@link #reserve}).
     */
    static ByteBuffer encode(Snapshot snapshot, long generatorSizeHint, @Nullable CompletableFuture<ByteBuffer> reserved) {
        long expected = generatorSizeHint > 0
                ? generatorSizeHint + generatorSizeHint / 64 + 256 + ratesBytes(snapshot)
                : estimate(snapshot);
        PortView ports = snapshot.ports();
        if (ports == null || ports.portCount() < PARALLEL_PORTS) {
            Bodies.DirectSink out = new Bodies.DirectSink((int) Math.min(Integer.MAX_VALUE - 8, expected));
            write(new JsonOut(out), snapshot, null, null);
            return out.toReadOnlyBuffer();
        }
        return encodeOnTwoThreads(snapshot, ports, expected, reserved);
    }

    /**
     * A direct buffer of {@code bytes} allocated on an encoder thread: allocating (and zeroing)
     * hundreds of MB of direct memory costs about as much as writing them, and is done meanwhile.
     */
    static CompletableFuture<ByteBuffer> reserve(long bytes) {
        return CompletableFuture.supplyAsync(() -> ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, bytes)),
                EncoderThreads.EXECUTOR);
    }

    /**
     * The buffer for the body of {@code now}'s snapshot, reserved ({@link #reserve}) before its rates
     * are known, when it has many ports: sized as {@link #encode} will want it
     * ({@link #expectedWithRates}); null for fewer ports.
     */
    static @Nullable CompletableFuture<ByteBuffer> reserveFor(Snapshot previous, PortRows now, List<String> counters,
            long generatorSizeHint) {
        if (now.portCount < PARALLEL_PORTS) {
            return null;
        }
        long rows = (long) now.portCount + now.switchCount();
        long perRow = 0;
        int count = 0;
        for (int column : CounterRates.rateColumns(now.metrics, counters)) {
            perRow += JsonOut.quoted(now.metrics.get(column) + CounterRates.SUFFIX).length + 2;
            count++;
        }
        return reserve(expectedWithRates(previous, rows, perRow, count, generatorSizeHint));
    }

    /**
     * A buffer for the body of the snapshot after {@code previous}, reserved before its payload is
     * read: as {@link #reserveFor}, with {@code previous}'s ports, switches and rates.
     */
    static CompletableFuture<ByteBuffer> reserveLike(Snapshot previous) {
        long rows = (long) previous.switchCount() + (previous.ports() == null ? 0 : previous.ports().portCount());
        long perRow = 0;
        for (String name : previous.rates().names()) {
            perRow += JsonOut.quoted(name).length + 2;
        }
        return reserve(expectedWithRates(previous, rows, perRow, previous.rates().names().size(),
                previous.listMetricsGeneratorBytes()));
    }

    /**
     * The body's size, its rates' values taken as in {@code previous} or at 6 bytes each when
     * {@code previous} had none to go by (its rates all {@code null} or {@code 0.0}), whichever is
     * more, with a 64th to spare: at most that much larger than what {@link #encode} wants, and never
     * an eighth (which would be copied to size).
     */
    private static long expectedWithRates(Snapshot previous, long rows, long ratesPerRow, int rateCount,
            long generatorSizeHint) {
        long previousRows = (long) previous.switchCount() + (previous.ports() == null ? 0 : previous.ports().portCount());
        long previousValues = previous.rates().valueBytes()
                + (previous.ports() == null ? 0 : previous.ports().rates().valueBytes());
        long values = Math.max(previousRows == 0 ? 0 : previousValues * rows / previousRows, rows * rateCount * 6);
        long expected = generatorSizeHint + generatorSizeHint / 64 + 256 + ratesPerRow * rows + values;
        return expected + expected / 64;
    }

    /**
     * The whole body of many ports: the ports are most of it (hundreds of MB at 200,000 ports),
     * so the second half of them is written by an encoder thread meanwhile, into the same buffer
     * (see {@link SplitBody}), each port by {@link #writePort} straight into a byte array.
     */
    private static ByteBuffer encodeOnTwoThreads(Snapshot snapshot, PortView ports, long expected,
            @Nullable CompletableFuture<ByteBuffer> reserved) {
        int[] cols = all(snapshot.metrics().size());
        Names names = names(snapshot, cols);
        int switches = snapshot.switchCount();
        int from = 0;
        while (from < switches && ports.firstPort(from) < ports.portCount() / 2) {
            from++;
        }
        int start = from;
        long capacity = Math.min(Integer.MAX_VALUE - 8, expected);
        ByteBuffer buffer = reserved == null ? null : reserved.join();
        if (buffer == null || buffer.capacity() < capacity) {
            buffer = ByteBuffer.allocateDirect((int) capacity);
        }
        // the tail's share of the body: its ports' share of all ports, a little more room for the head
        long tailBytes = expected * (ports.portCount() - ports.firstPort(Math.min(start, switches - 1)))
                / Math.max(1, ports.portCount());
        long headRoom = Math.max(0, expected - tailBytes);
        int tailStart = (int) Math.min(buffer.capacity(), headRoom + headRoom / 32 + 4096);
        SplitBody body = new SplitBody(buffer, tailStart);
        CompletableFuture<Void> tail = CompletableFuture.runAsync(() -> {
            PortWriter writer = new PortWriter(body.tail(), snapshot, ports, names);
            writer.switches(start, switches);
            writer.flush();
            JsonOut out = new JsonOut(body.tail(), 1024);
            out.ascii('}');
            writeDescriptions(out, snapshot, null, switches);
            out.ascii('}').flush();
        }, EncoderThreads.EXECUTOR);
        try {
            JsonOut out = new JsonOut(body.head());
            writeHead(out, snapshot, null, cols, names);
            out.ascii(",\"ports\":{").flush();
            PortWriter writer = new PortWriter(body.head(), snapshot, ports, names);
            writer.switches(0, start);
            writer.flush();
            tail.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            tail.cancel(false); // a failure here leaves no task running on
        }
        return body.join();
    }

    /**
     * The ports of whole switches written straight into a byte array, a port at a time (room for
     * the largest port is made once per port, not per value), then to the sink in chunks. Writes
     * what {@link #writePorts} writes for every column.
     */
    private static final class PortWriter {

        private final OutputStream sink;
        private final Snapshot snapshot;
        private final PortView ports;
        private final PortRows data;
        private final CounterRates rates;
        private final byte[][] names;
        private final byte[][] zeroNames;
        private final byte[] zeroTail;
        private final int generatorCount;
        private final int width;
        private final int count;
        private final byte[] buf;
        private final int limit; // past this, flush before the next port
        private int pos;

        PortWriter(OutputStream sink, Snapshot snapshot, PortView ports, Names prepared) {
            this.sink = sink;
            this.snapshot = snapshot;
            this.ports = ports;
            this.data = ports.rows();
            this.rates = ports.rates();
            this.names = prepared.names;
            this.zeroNames = prepared.zeroNames;
            this.zeroTail = prepared.zeroTail;
            this.generatorCount = snapshot.generatorMetricCount();
            this.width = data.width;
            this.count = names.length;
            int largestPort = 16 + JsonOut.MAX_LONG_BYTES + zeroTail.length;
            for (byte[] name : names) {
                largestPort += name.length + VALUE_ROOM;
            }
            this.buf = new byte[Math.max(64 * 1024, 4 * largestPort)];
            this.limit = buf.length - largestPort;
        }

        void switches(int from, int to) {
            for (int s = from; s < to; s++) {
                if (s > 0) {
                    raw(COMMA);
                }
                raw(JsonOut.quoted(snapshot.switchId(s)));
                raw(COLON_BRACE);
                int first = ports.firstPort(s);
                int end = ports.endPort(s);
                for (int p = first; p < end; p++) {
                    if (pos > limit) {
                        flush();
                    }
                    if (p > first) {
                        buf[pos++] = ',';
                    }
                    pos = writePort(p, pos);
                }
                raw(BRACE);
            }
        }

        private int writePort(int p, int at) {
            byte[] buf = this.buf;
            int pos = at;
            buf[pos++] = '"';
            pos = JsonOut.putLong(buf, pos, data.portNumbers[p]);
            buf[pos++] = '"';
            buf[pos++] = ':';
            buf[pos++] = '{';
            int cell = p * width;
            long[] cells = data.cells;
            byte[] kinds = data.kinds;
            for (int c = 0; c < generatorCount; c++, cell++) {
                byte[] name = names[c];
                System.arraycopy(name, 0, buf, pos, name.length);
                pos += name.length;
                byte kind = kinds[cell];
                if (kind == CellKind.INTEGER) {
                    pos = JsonOut.putLong(buf, pos, cells[cell]);
                } else if (kind == CellKind.DECIMAL) {
                    pos = Decimals.put(Double.longBitsToDouble(cells[cell]), buf, pos);
                } else {
                    System.arraycopy(NULL, 0, buf, pos, NULL.length);
                    pos += NULL.length;
                }
            }
            if (generatorCount < count && rates.allZero(p)) {
                System.arraycopy(zeroTail, 0, buf, pos, zeroTail.length);
                return pos + zeroTail.length;
            }
            for (int c = generatorCount; c < count; c++) {
                int rate = c - generatorCount;
                if (rates.isZero(rate, p)) {
                    System.arraycopy(zeroNames[c], 0, buf, pos, zeroNames[c].length);
                    pos += zeroNames[c].length;
                } else {
                    System.arraycopy(names[c], 0, buf, pos, names[c].length);
                    pos = rates.put(buf, pos + names[c].length, rate, p);
                }
            }
            buf[pos++] = '}';
            return pos;
        }

        private void raw(byte[] bytes) {
            if (bytes.length > buf.length - pos) {
                flush();
                if (bytes.length > buf.length) {
                    write(bytes, bytes.length);
                    return;
                }
            }
            System.arraycopy(bytes, 0, buf, pos, bytes.length);
            pos += bytes.length;
        }

        void flush() {
            if (pos > 0) {
                write(buf, pos);
                pos = 0;
            }
        }

        private void write(byte[] bytes, int length) {
            try {
                sink.write(bytes, 0, length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Room for any one value: a long's digits, a decimal's text, {@code null}. */
    private static final int VALUE_ROOM = Math.max(JsonOut.MAX_LONG_BYTES, Decimals.MAX_LENGTH + 8);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] COMMA = {','};
    private static final byte[] COLON_BRACE = {':', '{'};
    private static final byte[] BRACE = {'}'};

    /** From this many ports on, the whole body's ports are encoded on two threads. */
    public static final int PARALLEL_PORTS = 20_000;

    /** The bytes of a snapshot's unfiltered body that are not its rates: the next body's size hint. */
    static long generatorBytes(Snapshot snapshot, int bodyBytes) {
        return bodyBytes - ratesBytes(snapshot);
    }

    /** The bytes the rates take in the unfiltered body: each rate's name, comma and colon, and its value. */
    static long ratesBytes(Snapshot snapshot) {
        long perRow = 0;
        for (String name : snapshot.rates().names()) {
            perRow += JsonOut.quoted(name).length + 2;
        }
        long bytes = perRow * snapshot.switchCount() + snapshot.rates().valueBytes();
        PortView ports = snapshot.ports();
        return ports == null ? bytes : bytes + perRow * ports.portCount() + ports.rates().valueBytes();
    }

    /**
     * Writes the ListMetrics JSON of a snapshot, or of a selection of it: the whole snapshot's body
     * and every filtered one come from this one writer, so they cannot drift apart.
     *
     * @param rows the switches' rows in generator order, or {@code null} for all
     * @param columns the metrics' columns in generator order, or {@code null} for all
     */
    public static void write(JsonOut out, Snapshot snapshot, int @Nullable [] rows, int @Nullable [] columns) {
        write(out, snapshot, rows, columns, true);
    }

    /**
     * As {@link #write(JsonOut, Snapshot, int[], int[])}; {@code withPorts} false leaves out the
     * {@code ports} object of port rows (ListMetrics {@code ports=false}: switches, their aggregates
     * and descriptions only).
     */
    public static void write(JsonOut out, Snapshot snapshot, int @Nullable [] rows, int @Nullable [] columns,
            boolean withPorts) {
        write(out, snapshot, rows, columns, withPorts, null);
    }

    /**
     * The metric names of the selected columns as a body writes them in each switch and port
     * object: escaped once, with their comma and colon; the rates' also with {@code 0.0}.
     */
    private record Names(byte[][] names, byte[][] zeroNames, byte[] zeroTail, int firstRate) {
    }

    private static Names names(Snapshot snapshot, int[] cols) {
        List<String> metrics = snapshot.metrics();
        byte[][] names = new byte[cols.length][];
        for (int i = 0; i < cols.length; i++) {
            byte[] quoted = JsonOut.quoted(metrics.get(cols[i]));
            byte[] name = new byte[quoted.length + (i == 0 ? 1 : 2)];
            int at = 0;
            if (i > 0) {
                name[at++] = ',';
            }
            System.arraycopy(quoted, 0, name, at, quoted.length);
            name[name.length - 1] = ':';
            names[i] = name;
        }
        // the derived rates come last: mostly 0.0, written as name and value in one copy, and a
        // switch whose rates are all 0.0 (the usual case) as one copy for all of them and the brace
        int generatorCount = snapshot.generatorMetricCount();
        int firstRate = cols.length;
        while (firstRate > 0 && cols[firstRate - 1] >= generatorCount) {
            firstRate--;
        }
        byte[][] zeroNames = new byte[cols.length][];
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        for (int c = firstRate; c < cols.length; c++) {
            zeroNames[c] = Arrays.copyOf(names[c], names[c].length + ZERO.length);
            System.arraycopy(ZERO, 0, zeroNames[c], names[c].length, ZERO.length);
            tail.writeBytes(zeroNames[c]);
        }
        tail.write('}');
        return new Names(names, zeroNames, tail.toByteArray(), firstRate);
    }

    private static void write(JsonOut out, Snapshot snapshot, int @Nullable [] rows, int @Nullable [] columns,
            boolean withPorts, @Nullable Names names) {
        int[] cols = columns != null ? columns : all(snapshot.metrics().size());
        int switchCount = rows == null ? snapshot.switchCount() : rows.length;
        Names prepared = names != null ? names : names(snapshot, cols);
        writeHead(out, snapshot, rows, cols, prepared);
        PortView ports = snapshot.ports();
        if (ports != null) {
            if (withPorts) {
                out.ascii(",\"ports\":{");
                writePorts(out, snapshot, ports, rows, cols, prepared, 0, switchCount);
                out.ascii('}');
            }
            writeDescriptions(out, snapshot, rows, switchCount);
        }
        out.ascii('}').flush();
    }

    /** Everything before the {@code ports}: sequence, times, metrics, switches, carriedOver. */
    private static void writeHead(JsonOut out, Snapshot snapshot, int @Nullable [] rows, int[] cols, Names prepared) {
        List<String> metrics = snapshot.metrics();
        int switchCount = rows == null ? snapshot.switchCount() : rows.length;
        out.ascii("{\"sequence\":").number(snapshot.sequence())
                .ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText())
                .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                .ascii("\",\"metrics\":[");
        for (int i = 0; i < cols.length; i++) {
            out.ascii(i == 0 ? "" : ",").raw(JsonOut.quoted(metrics.get(cols[i])));
        }
        out.ascii("],\"switches\":{");
        byte[][] names = prepared.names;
        byte[][] zeroNames = prepared.zeroNames;
        byte[] zeroTail = prepared.zeroTail;
        int firstRate = prepared.firstRate;
        int generatorCount = snapshot.generatorMetricCount();
        CounterRates rates = snapshot.rates();
        boolean anyCarried = false;
        boolean carriedOver = !snapshot.carriedOver().isEmpty();
        for (int i = 0; i < switchCount; i++) {
            int row = rows == null ? i : rows[i];
            String id = snapshot.switchId(row);
            anyCarried |= carriedOver && snapshot.carriedOver().containsKey(id);
            if (i > 0) {
                out.ascii(',');
            }
            out.string(id).ascii(':').ascii('{');
            for (int c = 0; c < firstRate; c++) {
                out.raw(names[c]);
                snapshot.writeValue(out, row, cols[c]);
            }
            if (firstRate < cols.length && rates.allZero(row)) {
                out.raw(zeroTail);
                continue;
            }
            for (int c = firstRate; c < cols.length; c++) {
                int rate = cols[c] - generatorCount;
                if (rates.isZero(rate, row)) {
                    out.raw(zeroNames[c]);
                } else {
                    out.raw(names[c]);
                    rates.write(out, rate, row);
                }
            }
            out.ascii('}');
        }
        out.ascii('}');
        if (anyCarried) {
            writeCarriedOver(out, snapshot, rows, switchCount);
        }
    }

    private static void writeCarriedOver(JsonOut out, Snapshot snapshot, int @Nullable [] rows, int switchCount) {
        out.ascii(",\"carriedOver\":{");
        boolean first = true;
        for (int i = 0; i < switchCount; i++) {
            String id = snapshot.switchId(rows == null ? i : rows[i]);
            if (snapshot.carriedOver().containsKey(id)) {
                out.ascii(first ? "" : ",").string(id).ascii(":\"").ascii(snapshot.sampledAtText(id)).ascii('"');
                first = false;
            }
        }
        out.ascii('}');
    }

    /**
     * {@code "ports":{"<guid>":{"<port>":{metric:value,…},…},…}}: the selected switches' ports in
     * source order, the selected columns, each port's cells walked in the order they are stored.
     */
    private static void writePorts(JsonOut out, Snapshot snapshot, PortView ports, int @Nullable [] rows, int[] cols,
            Names prepared, int from, int to) {
        byte[][] names = prepared.names;
        byte[][] zeroNames = prepared.zeroNames;
        byte[] zeroTail = prepared.zeroTail;
        int firstRate = prepared.firstRate;
        int generatorCount = snapshot.generatorMetricCount();
        CounterRates rates = ports.rates();
        PortRows data = ports.rows();
        for (int i = from; i < to; i++) {
            int row = rows == null ? i : rows[i];
            if (i > 0) {
                out.ascii(',');
            }
            out.string(snapshot.switchId(row)).ascii(":{");
            int first = ports.firstPort(row);
            int end = ports.endPort(row);
            for (int p = first; p < end; p++) {
                out.ascii(p == first ? "\"" : ",\"").number(data.portNumbers[p]).ascii("\":{");
                int at = p * data.width;
                for (int c = 0; c < firstRate; c++) {
                    out.raw(names[c]);
                    int cell = at + cols[c];
                    switch (data.kinds[cell]) {
                        case CellKind.INTEGER -> out.number(data.cells[cell]);
                        case CellKind.DECIMAL -> Snapshot.writeValue(out, CellKind.DECIMAL, data.cells[cell], false);
                        default -> out.ascii("null");
                    }
                }
                if (firstRate < cols.length && rates.allZero(p)) {
                    out.raw(zeroTail);
                    continue;
                }
                for (int c = firstRate; c < cols.length; c++) {
                    int rate = cols[c] - generatorCount;
                    if (rates.isZero(rate, p)) {
                        out.raw(zeroNames[c]);
                    } else {
                        out.raw(names[c]);
                        rates.write(out, rate, p);
                    }
                }
                out.ascii('}');
            }
            out.ascii('}');
        }
    }

    /** {@code "descriptions":{"<guid>":"…"}} for the selected switches that have one; nothing when none has. */
    private static void writeDescriptions(JsonOut out, Snapshot snapshot, int @Nullable [] rows, int switchCount) {
        boolean first = true;
        for (int i = 0; i < switchCount; i++) {
            int row = rows == null ? i : rows[i];
            String description = snapshot.description(row);
            if (description != null) {
                out.ascii(first ? ",\"descriptions\":{" : ",").string(snapshot.switchId(row)).ascii(':').string(description);
                first = false;
            }
        }
        if (!first) {
            out.ascii('}');
        }
    }

    private static int[] all(int count) {
        int[] all = new int[count];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** Without a previous body to go by: names and IDs exactly, ten bytes a value (most are shorter). */
    private static long estimate(Snapshot snapshot) {
        long perRow = 3; // "{}" and a comma
        for (String metric : snapshot.metrics()) {
            perRow += metric.length() + 4 + 10;
        }
        long size = 256 + perRow * snapshot.switchCount();
        for (int row = 0; row < snapshot.switchCount(); row++) {
            size += snapshot.switchId(row).length() + 3;
        }
        PortView ports = snapshot.ports();
        if (ports != null) { // each port as a switch, its number as its ID, and the GUIDs and descriptions again
            size += (perRow + 8) * ports.portCount() + 32L * snapshot.switchCount() + 2 * snapshot.switchIdBytes();
        }
        return size;
    }
}
