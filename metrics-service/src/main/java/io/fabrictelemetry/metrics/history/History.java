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

    private Frame encode(Columns columns, Layout layout) {
        int width = layout.width();
        int cells = layout.cells();
        int[] offsets = new int[(cells + Frame.BLOCK - 1) / Frame.BLOCK];
        int carried = 0;
        int[] carriedRows = new int[0];
        sink.reset();
        int i = 0;
        for (int row = 0; row < columns.rows(); row++) {
            for (int column = 0; column < width; column++, i++) {
                if (i % Frame.BLOCK == 0) {
                    offsets[i / Frame.BLOCK] = sink.size();
                }
                CellCodec.encode(columns.kind(row, column), columns.bits(row, column), tags, values, i, sink);
            }
            if (columns.carriedOver(row)) {
                if (carried == carriedRows.length) {
                    carriedRows = Arrays.copyOf(carriedRows, Math.max(4, carried * 2));
                }
                carriedRows[carried++] = row;
            }
        }
        return new Frame(columns.sequence(), columns.sampledAtMillis(), sink.toArray(), offsets,
                Arrays.copyOf(carriedRows, carried));
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
        int cells = layout.cells();
        byte[] stateTags = new byte[cells];
        long[] stateValues = new long[cells];
        CellCodec.Reader firstCells = new CellCodec.Reader(first.data(), 0);
        for (int i = 0; i < cells; i++) {
            firstCells.next(stateTags, stateValues, i);
        }
        byte[] keyTags = new byte[cells];
        long[] keyValues = new long[cells];
        int[] offsets = new int[second.blockOffsets().length];
        CellCodec.Reader secondCells = new CellCodec.Reader(second.data(), 0);
        sink.reset();
        for (int i = 0; i < cells; i++) {
            if (i % Frame.BLOCK == 0) {
                offsets[i / Frame.BLOCK] = sink.size();
            }
            if (secondCells.next(stateTags, stateValues, i)) {
                CellCodec.put(stateTags[i], stateValues[i], keyTags, keyValues, i, sink);
            } else if (stateTags[i] == CellCodec.TAG_INTEGER && stateValues[i] == 0) {
                sink.writeVarint(CellCodec.NO_READING);
            } else {
                sink.writeVarint(CellCodec.NO_READING_SET);
                sink.writeByte(stateTags[i]);
                sink.writeVarint(CellCodec.zigzag(stateValues[i]));
            }
        }
        return new Frame(second.sequence(), second.sampledAtMillis(), sink.toArray(), offsets, second.carriedRows());
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
            cells += (long) segment.frames().length * segment.layout().cells();
        }
        return new View(List.copyOf(segments), bytesOf(segments), frames, cells);
    }

    /**
     * The points of one series sampled at or after {@code fromMillis} and within the retention,
     * oldest first: one per kept snapshot in which the switch had a new reading (a carried-over
     * row is not one), {@code null} readings included.
     */
    public List<Point> query(String switchId, String metric, long fromMillis, long nowMillis) {
        long from = Math.max(fromMillis, nowMillis - retentionMillis);
        List<Point> points = new ArrayList<>();
        for (Segment segment : view.segments()) {
            Layout layout = segment.layout();
            int row = layout.row(switchId);
            int column = layout.column(metric);
            if (row < 0 || column < 0 || segment.last().sampledAtMillis() < from) {
                continue;
            }
            int cell = row * layout.width() + column;
            int block = cell / Frame.BLOCK;
            int skip = cell % Frame.BLOCK;
            byte[] tag = {CellCodec.TAG_INTEGER};
            long[] value = {0};
            for (Frame frame : segment.frames()) {
                CellCodec.Reader reader = new CellCodec.Reader(frame.data(), frame.blockOffsets()[block]);
                for (int k = 0; k < skip; k++) {
                    reader.skip();
                }
                boolean reading = reader.next(tag, value, 0);
                if (frame.sampledAtMillis() >= from && !frame.carried(row)) {
                    points.add(reading
                            ? new Point(frame.sampledAtMillis(), frame.sequence(), CellCodec.kindOf(tag[0]),
                                    CellCodec.bitsOf(tag[0], value[0]))
                            : new Point(frame.sampledAtMillis(), frame.sequence(), Columns.NULL, 0));
                }
            }
        }
        return points;
    }

    /** True when some kept snapshot has this switch. */
    public boolean hasSwitch(String switchId) {
        for (Segment segment : view.segments()) {
            if (segment.layout().row(switchId) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** True when some kept snapshot has this metric. */
    public boolean hasMetric(String metric) {
        for (Segment segment : view.segments()) {
            if (segment.layout().column(metric) >= 0) {
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

    /** Cells kept (points, counting every cell of every kept snapshot). */
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
