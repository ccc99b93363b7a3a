package io.fabrictelemetry.metrics.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Recent history of every (switch, metric) series, compressed, within a retention and a byte
 * budget. Pure and without Spring: one writer thread appends snapshots; any number of readers query
 * an immutable view swapped in whole after each append, without locks.
 *
 * <p>Consecutive snapshots with the same switches and metrics form a segment. Each snapshot becomes
 * one {@link Frame}: its timestamp once, then every cell as a delta from the same series' previous
 * value ({@link CellCodec}), one or two bytes for the simulator's data. A switch set or metric set
 * that changes starts a new segment. The oldest frame goes first when it is older than the
 * retention or the budget is exceeded; the frame after it is then re-encoded as the segment's key
 * frame, so every kept frame stays decodable.
 */
public final class History {

    private final long retentionMillis;
    private final long maxBytes;
    private volatile View view = new View(List.of(), 0, 0, 0);

    // the writer's state: the open segment's layout and every series' state after its last frame
    private @Nullable Layout open;
    private byte[] tags = new byte[0];
    private long[] values = new long[0];
    private final ByteSink sink = new ByteSink(1 << 16);

    /** What readers see: immutable, replaced whole. */
    private record View(List<Segment> segments, long bytes, int frames, long cells) {
    }

    private record Segment(Layout layout, Frame[] frames) {

        Frame last() {
            return frames[frames.length - 1];
        }

        long bytes() {
            long total = layout.bytes();
            for (Frame frame : frames) {
                total += frame.bytes();
            }
            return total;
        }
    }

    /**
     * @param retentionMillis how long a snapshot is kept, by its sampledAt; 0 keeps none
     * @param maxBytes        the budget for everything history holds; 0 keeps none
     */
    public History(long retentionMillis, long maxBytes) {
        if (retentionMillis < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("retention and budget must not be negative");
        }
        this.retentionMillis = retentionMillis;
        this.maxBytes = maxBytes;
    }

    public boolean enabled() {
        return retentionMillis > 0 && maxBytes > 0;
    }

    /**
     * Adds a snapshot as one frame, then evicts what retention and budget no longer allow. A
     * snapshot with the same sampledAt as the last one kept (the same generation served again) adds
     * nothing. Single writer only.
     */
    public void append(Columns columns, long nowMillis) {
        if (!enabled()) {
            return;
        }
        List<Segment> segments = new ArrayList<>(view.segments());
        @Nullable Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last != null && last.last().sampledAtMillis() == columns.sampledAtMillis()) {
            return;
        }
        boolean continues = last != null && open == last.layout() && open.matches(columns);
        if (!continues) {
            open = Layout.of(columns);
            tags = new byte[open.cells()];
            values = new long[open.cells()];
        }
        Frame frame = encode(columns, open);
        if (continues) {
            Frame[] frames = Arrays.copyOf(last.frames(), last.frames().length + 1);
            frames[frames.length - 1] = frame;
            segments.set(segments.size() - 1, new Segment(open, frames));
        } else {
            segments.add(new Segment(open, new Frame[] {frame}));
        }
        evict(segments, nowMillis - retentionMillis);
        view = viewOf(segments);
    }

    private static int blocks(int rows) {
        return (rows + Frame.BLOCK_ROWS - 1) / Frame.BLOCK_ROWS;
    }

    private Frame encode(Columns columns, Layout layout) {
        int width = layout.width();
        int metrics = layout.metrics().size();
        int rows = layout.rows();
        long frameNanos = columns.sampledAtNanos();
        int[] references = references(columns, layout);
        int[] offsets = new int[blocks(rows)];
        Frame.Scratch scratch = new Frame.Scratch(width);
        sink.reset();
        Chunk.Writer writer = new Chunk.Writer(sink);
        for (int block = 0; block < offsets.length; block++) {
            offsets[block] = sink.size();
            int first = block * Frame.BLOCK_ROWS;
            int n = Frame.blockRows(block, rows);
            int base = first * width;
            System.arraycopy(tags, base, scratch.tags, 0, n * width);
            System.arraycopy(values, base, scratch.values, 0, n * width);
            for (int column = 0; column < metrics; column++) {
                int at = base + column * n;
                for (int k = 0; k < n; k++) {
                    CellCodec.encode(columns.kind(first + k, column), columns.bits(first + k, column), tags, values,
                            at + k, writer);
                }
                int reference = references[column];
                if (reference > 0) {
                    Frame.predict(n, column, reference, scratch.tags, scratch.values, tags, values, base,
                            scratch.predicted);
                }
                writer.end(reference, scratch.predicted);
            }
            if (width > metrics) { // port rows: each port's own time, from the frame's
                int at = base + metrics * n;
                for (int k = 0; k < n; k++) {
                    writer.put(CellCodec.TAG_INTEGER, columns.sampledAtNanos(first + k) - frameNanos, tags, values,
                            at + k);
                }
                writer.end(0, null);
            }
        }
        int carried = 0;
        int[] carriedRows = new int[0];
        for (int row = 0; row < rows; row++) {
            if (columns.carriedOver(row)) {
                if (carried == carriedRows.length) {
                    carriedRows = Arrays.copyOf(carriedRows, Math.max(4, carried * 2));
                }
                carriedRows[carried++] = row;
            }
        }
        return new Frame(columns.sequence(), columns.sampledAtMillis(), frameNanos, sink.toArray(), offsets,
                Arrays.copyOf(carriedRows, carried));
    }

    private static final int SAMPLED_BLOCKS = 16;

    /**
     * For each column, the column to its left whose increase best predicts its own in this frame
     * (as a distance, 0 for none): tried on a sample of blocks spread over the frame, every
     * integer column against every one up to {@link Chunk#MAX_REFERENCE} places to its left. Each
     * chunk then still picks, by size, whether to use it.
     */
    private int[] references(Columns columns, Layout layout) {
        int metrics = layout.metrics().size();
        int width = layout.width();
        int rows = layout.rows();
        int blocks = blocks(rows);
        int[] references = new int[metrics];
        long[] plain = new long[metrics];
        long[][] predicted = new long[metrics][];
        for (int column = 1; column < metrics; column++) {
            predicted[column] = new long[Math.min(column, Chunk.MAX_REFERENCE) + 1];
        }
        int step = Math.max(1, blocks / SAMPLED_BLOCKS);
        for (int block = 0; block < blocks; block += step) {
            int first = block * Frame.BLOCK_ROWS;
            int n = Frame.blockRows(block, rows);
            int base = first * width;
            for (int k = 0; k < n; k++) {
                int row = first + k;
                for (int column = 1; column < metrics; column++) {
                    if (columns.kind(row, column) != Columns.INTEGER) {
                        continue;
                    }
                    long now = columns.bits(row, column);
                    byte tag = tags[base + column * n + k];
                    long before = values[base + column * n + k];
                    plain[column] += Chunk.bitLength(CellCodec.zigzag(now - before));
                    for (int distance = 1; distance < predicted[column].length; distance++) {
                        int reference = column - distance;
                        byte referenceNowTag = columns.kind(row, reference) == Columns.INTEGER
                                ? CellCodec.TAG_INTEGER : CellCodec.TAG_RAW;
                        long guess = Chunk.predict(tag, before, tags[base + reference * n + k],
                                values[base + reference * n + k], referenceNowTag, columns.bits(row, reference));
                        predicted[column][distance] += Chunk.bitLength(CellCodec.zigzag(now - guess));
                    }
                }
            }
        }
        for (int column = 1; column < metrics; column++) {
            long best = plain[column];
            for (int distance = 1; distance < predicted[column].length; distance++) {
                if (predicted[column][distance] < best) {
                    best = predicted[column][distance];
                    references[column] = distance;
                }
            }
        }
        return references;
    }

    private void evict(List<Segment> segments, long cutoffMillis) {
        long bytes = bytesOf(segments);
        while (!segments.isEmpty()) {
            Segment oldest = segments.get(0);
            boolean expired = oldest.frames()[0].sampledAtMillis() < cutoffMillis;
            if (!expired && bytes <= maxBytes) {
                return;
            }
            bytes -= oldest.bytes();
            if (oldest.frames().length == 1) {
                segments.remove(0);
                if (oldest.layout() == open) {
                    // nothing left to decode against: the next snapshot starts a new segment
                    bytes -= 9L * open.cells();
                    open = null;
                    tags = new byte[0];
                    values = new long[0];
                }
            } else {
                Frame[] frames = Arrays.copyOfRange(oldest.frames(), 1, oldest.frames().length);
                frames[0] = rekey(oldest.layout(), oldest.frames()[0], oldest.frames()[1]);
                Segment shorter = new Segment(oldest.layout(), frames);
                segments.set(0, shorter);
                bytes += shorter.bytes();
            }
        }
    }

    /** {@code second} re-encoded against zero, leaving every series in the state it had after it. */
    private Frame rekey(Layout layout, Frame first, Frame second) {
        int width = layout.width();
        int rows = layout.rows();
        // one block's states at a time: each block decodes on its own
        byte[] stateTags = new byte[Frame.BLOCK_ROWS * width];
        long[] stateValues = new long[Frame.BLOCK_ROWS * width];
        boolean[] reading = new boolean[Frame.BLOCK_ROWS * width];
        Frame.Scratch scratch = new Frame.Scratch(width);
        int[] offsets = new int[second.blockOffsets().length];
        sink.reset();
        Chunk.Writer writer = new Chunk.Writer(sink);
        for (int block = 0; block < offsets.length; block++) {
            offsets[block] = sink.size();
            int n = Frame.blockRows(block, rows);
            Arrays.fill(stateTags, CellCodec.TAG_INTEGER);
            Arrays.fill(stateValues, 0);
            first.decodeBlock(block, rows, width, stateTags, stateValues, reading, 0, scratch);
            second.decodeBlock(block, rows, width, stateTags, stateValues, reading, 0, scratch);
            for (int column = 0; column < width; column++) {
                for (int i = column * n; i < (column + 1) * n; i++) {
                    if (reading[i]) {
                        writer.put(stateTags[i], stateValues[i], CellCodec.TAG_INTEGER, 0);
                    } else if (stateTags[i] == CellCodec.TAG_INTEGER && stateValues[i] == 0) {
                        writer.none();
                    } else {
                        writer.noneSetting(stateTags[i], stateValues[i]);
                    }
                }
                writer.end(0, null);
            }
        }
        return new Frame(second.sequence(), second.sampledAtMillis(), second.sampledAtNanos(), sink.toArray(),
                offsets, second.carriedRows());
    }

    private long bytesOf(List<Segment> segments) {
        long total = open == null ? 0 : 9L * open.cells();
        for (Segment segment : segments) {
            total += segment.bytes();
        }
        return total;
    }

    private View viewOf(List<Segment> segments) {
        int frames = 0;
        long cells = 0;
        for (Segment segment : segments) {
            frames += segment.frames().length;
            cells += (long) segment.frames().length * segment.layout().rows() * segment.layout().metrics().size();
        }
        return new View(List.copyOf(segments), bytesOf(segments), frames, cells);
    }

    /**
     * The points of one series sampled at or after {@code fromMillis} and within the retention,
     * oldest first. Of a switch row: one per kept snapshot in which the switch had a new reading (a
     * carried-over row is not one), {@code null} readings included. Of a switch in port rows: its
     * aggregate over its ports ({@link PortSeries}).
     */
    public List<Point> query(String switchId, String metric, long fromMillis, long nowMillis) {
        long from = Math.max(fromMillis, nowMillis - retentionMillis);
        List<Point> points = new ArrayList<>();
        PortSeries aggregate = new PortSeries(switchId, PortSeries.AGGREGATE, metric, from, points);
        for (Segment segment : view.segments()) {
            Layout layout = segment.layout();
            if (layout.ports()) {
                aggregate.segment(layout, segment.frames());
                continue;
            }
            aggregate.gap(segment.frames().length);
            int row = layout.row(switchId);
            int column = layout.column(metric);
            if (row < 0 || column < 0 || segment.last().sampledAtMillis() < from) {
                continue;
            }
            RowStates states = new RowStates(layout, row, row + 1);
            for (Frame frame : segment.frames()) {
                states.advance(frame);
                if (frame.sampledAtMillis() >= from && !frame.carried(row)) {
                    points.add(new Point(frame.sampledAtMillis(), frame.sequence(), states.kind(row, column),
                            states.bits(row, column)));
                }
            }
        }
        return points;
    }

    /**
     * The points of one port's series ({@link PortSeries}), oldest first, sampled at or after
     * {@code fromMillis} and within the retention; none from snapshots of switch rows.
     */
    public List<Point> queryPort(String switchId, int port, String metric, long fromMillis, long nowMillis) {
        long from = Math.max(fromMillis, nowMillis - retentionMillis);
        List<Point> points = new ArrayList<>();
        PortSeries series = new PortSeries(switchId, port, metric, from, points);
        for (Segment segment : view.segments()) {
            if (segment.layout().ports()) {
                series.segment(segment.layout(), segment.frames());
            } else {
                series.gap(segment.frames().length);
            }
        }
        return points;
    }

    /** True when some kept snapshot has this switch. */
    public boolean hasSwitch(String switchId) {
        for (Segment segment : view.segments()) {
            if (segment.layout().switchIndex(switchId) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** True when some kept snapshot of port rows has this port of this switch. */
    public boolean hasPort(String switchId, int port) {
        for (Segment segment : view.segments()) {
            if (segment.layout().portRow(switchId, port) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** True when some kept snapshot has this metric (for port rows, a counter's derived rate too). */
    public boolean hasMetric(String metric) {
        for (Segment segment : view.segments()) {
            if (segment.layout().hasMetric(metric)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the switch aggregate of a metric of port rows is a sum (a counter or its rate) rather
     * than a maximum, as the newest kept snapshot that has it says; false when none has it.
     */
    public boolean isSum(String metric) {
        List<Segment> segments = view.segments();
        for (int i = segments.size() - 1; i >= 0; i--) {
            Layout layout = segments.get(i).layout();
            int column = layout.column(metric);
            if (column >= 0) {
                return layout.counter(column);
            }
            if (layout.rateOf(metric) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The heap history holds: encoded frames, layouts and the writer's per-series state. */
    public long bytes() {
        return view.bytes();
    }

    /** Snapshots kept. */
    public int frames() {
        return view.frames();
    }

    /**
     * Points kept: every stored metric's cell of every kept snapshot (not the ports' times, whose
     * bytes {@link #frameBytes()} counts, nor derived rates, which are not stored).
     */
    public long cells() {
        return view.cells();
    }

    /** Bytes of encoded frames alone, without layouts and writer state: the figure bytes per point is measured on. */
    public long frameBytes() {
        long total = 0;
        for (Segment segment : view.segments()) {
            for (Frame frame : segment.frames()) {
                total += frame.bytes();
            }
        }
        return total;
    }

    public long retentionMillis() {
        return retentionMillis;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
