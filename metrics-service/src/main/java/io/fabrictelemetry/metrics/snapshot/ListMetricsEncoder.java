package io.fabrictelemetry.metrics.snapshot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.body.JsonOut;


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
        long expected = generatorSizeHint > 0
                ? generatorSizeHint + generatorSizeHint / 64 + 256 + ratesBytes(snapshot)
                : estimate(snapshot);
        Bodies.DirectSink out = new Bodies.DirectSink((int) Math.min(Integer.MAX_VALUE - 8, expected));
        PortView ports = snapshot.ports();
        if (ports == null || ports.portCount() < PARALLEL_PORTS) {
            write(new JsonOut(out), snapshot, null, null);
            return out.toReadOnlyBuffer();
        }
        // the ports are most of the body (hundreds of MB at 200,000 ports): the second half of them
        // is encoded on another core meanwhile, then copied in
        int[] cols = all(snapshot.metrics().size());
        Names names = names(snapshot, cols);
        int from = 0;
        while (from < snapshot.switchCount() && ports.firstPort(from) < ports.portCount() / 2) {
            from++;
        }
        int start = from;
        long tailBytes = expected * (ports.portCount() - ports.firstPort(Math.min(from, snapshot.switchCount() - 1)))
                / Math.max(1, ports.portCount());
        CompletableFuture<ByteBuffer> tail = CompletableFuture.supplyAsync(() -> {
            Bodies.DirectSink sink = new Bodies.DirectSink((int) Math.min(Integer.MAX_VALUE - 8, tailBytes + 1024));
            JsonOut json = new JsonOut(sink);
            writePorts(json, snapshot, ports, null, cols, names, start, snapshot.switchCount());
            json.flush();
            return sink.written();
        }, ForkJoinPool.commonPool());
        try {
            write(new JsonOut(out), snapshot, null, null, true, new Split(names, start, tail, out));
        } finally {
            tail.cancel(false); // a failure here leaves no task running on
        }
        return out.toReadOnlyBuffer();
    }

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

    /**
     * The whole body encoded on two threads: the ports of the switches from {@code from} on are
     * written into a buffer of their own by another thread while this one writes the rest, then
     * copied in after the first ones.
     */
    private record Split(Names names, int from, CompletableFuture<ByteBuffer> tail, Bodies.DirectSink sink) {
    }

    private static void write(JsonOut out, Snapshot snapshot, int @Nullable [] rows, int @Nullable [] columns,
            boolean withPorts, @Nullable Split split) {
        List<String> metrics = snapshot.metrics();
        int[] cols = columns != null ? columns : all(metrics.size());
        int switchCount = rows == null ? snapshot.switchCount() : rows.length;
        out.ascii("{\"sequence\":").number(snapshot.sequence())
                .ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText())
                .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                .ascii("\",\"metrics\":[");
        Names prepared = split != null ? split.names : names(snapshot, cols);
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
        PortView ports = snapshot.ports();
        if (ports != null) {
            if (withPorts) {
                out.ascii(",\"ports\":{");
                writePorts(out, snapshot, ports, rows, cols, prepared, 0, split == null ? switchCount : split.from);
                if (split != null) {
                    out.flush();
                    split.sink.write(split.tail.join());
                }
                out.ascii('}');
            }
            writeDescriptions(out, snapshot, rows, switchCount);
        }
        out.ascii('}').flush();
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
