package io.fabrictelemetry.metrics.history;

import java.util.Arrays;
import java.util.List;

import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * One series over the kept frames of port rows: a port's, or its switch's aggregate, decoded from
 * the blocks that hold the switch's ports alone (never a whole frame), segment after segment.
 *
 * <ul>
 * <li>A port's point: one per kept snapshot in which the port had a new reading (a carried-over
 * port is not one), at the port's own sample time, {@code null} readings included.</li>
 * <li>The aggregate's point: one per kept snapshot in which some port of the switch had a new
 * reading, at the oldest of its ports' times, as the snapshot's switch row has it: the sum over
 * the ports for counters and their rates, the maximum for every other metric, ports without a
 * value skipped, none → {@code null} ({@link Aggregation}).</li>
 * <li>A counter's rate {@code <counter>_per_second} is not stored: it is derived from the port's
 * consecutive kept values and times by the snapshot's own rule ({@link Aggregation#counterRate}); a
 * port new since the previous kept snapshot has none ({@code null}), as in the snapshot. The oldest
 * kept snapshot has no previous one to derive from: no rate point is given for it (nor for a port
 * that repeats that sample, nor for an aggregate over such a port).</li>
 * </ul>
 */
final class PortSeries {

    static final int AGGREGATE = Integer.MIN_VALUE;

    private final String switchId;
    private final int port;
    private final String metric;
    private final long fromMillis;
    private final List<Point> points;

    /** Frames seen before the current one: the first has no previous values to derive a rate from. */
    private long framesSeen;

    // the state of every port of the series after the last frame seen, by position in portNumbers
    private int[] portNumbers = new int[0];
    private byte[] lastKinds = new byte[0];
    private long[] lastBits = new long[0];
    private long[] lastNanos = new long[0];
    private double[] lastRates = new double[0];
    private boolean[] lastUnknown = new boolean[0]; // the rate could not be derived: its previous value is older than history
    private boolean[] known = new boolean[0];

    PortSeries(String switchId, int port, String metric, long fromMillis, List<Point> points) {
        this.switchId = switchId;
        this.port = port;
        this.metric = metric;
        this.fromMillis = fromMillis;
        this.points = points;
    }

    /** Frames in which the series does not exist: what follows them is new, with no rate. */
    void gap(int frames) {
        framesSeen += frames;
        Arrays.fill(known, false);
    }

    void segment(Layout layout, Frame[] frames) {
        int s = layout.switchIndex(switchId);
        int stored = layout.column(metric);
        int counter = layout.rateOf(metric);
        int column = stored >= 0 ? stored : counter;
        boolean rate = stored < 0;
        int first;
        int end;
        if (s < 0 || column < 0) {
            gap(frames.length);
            return;
        }
        if (port == AGGREGATE) {
            first = layout.firstRow(s);
            end = layout.endRow(s);
        } else {
            first = layout.portRow(switchId, port);
            end = first + 1;
            if (first < 0) {
                gap(frames.length);
                return;
            }
        }
        remap(layout, first, end);
        int n = end - first;
        boolean sum = rate || layout.counter(column);
        RowStates states = new RowStates(layout, first, end);
        byte[] kinds = new byte[n];
        long[] bits = new long[n];
        long[] nanos = new long[n];
        boolean[] fresh = new boolean[n];
        double[] rates = new double[n];
        boolean[] unknown = new boolean[n];
        for (Frame frame : frames) {
            states.advance(frame);
            boolean anyFresh = false;
            boolean derivable = true;
            long oldest = Long.MAX_VALUE;
            for (int k = 0; k < n; k++) {
                kinds[k] = states.kind(first + k, column);
                bits[k] = states.bits(first + k, column);
                nanos[k] = frame.sampledAtNanos() + states.value(first + k, layout.timeColumn());
                fresh[k] = !frame.carried(first + k);
                anyFresh |= fresh[k];
                oldest = Math.min(oldest, nanos[k]);
                if (rate) {
                    rateOf(k, kinds[k], bits[k], nanos[k], fresh[k], rates, unknown);
                    derivable &= !unknown[k];
                }
                lastKinds[k] = kinds[k];
                lastBits[k] = bits[k];
                lastNanos[k] = nanos[k];
                lastRates[k] = rates[k];
                lastUnknown[k] = unknown[k];
                known[k] = true;
            }
            framesSeen++;
            if (!anyFresh || !derivable) {
                continue;
            }
            long at = Math.floorDiv(oldest, 1_000_000L);
            if (at < fromMillis) {
                continue;
            }
            if (port != AGGREGATE) {
                points.add(rate ? ratePoint(at, frame.sequence(), rates[0])
                        : new Point(at, frame.sequence(), kinds[0], bits[0]));
            } else if (rate) {
                points.add(ratePoint(at, frame.sequence(), Aggregation.rate(rates, n)));
            } else {
                long[] value = Aggregation.of(kinds, bits, n, sum);
                points.add(new Point(at, frame.sequence(), (byte) value[0], value[1]));
            }
        }
    }

    private static Point ratePoint(long at, long sequence, double rate) {
        return Double.isNaN(rate) ? new Point(at, sequence, Columns.NULL, 0)
                : new Point(at, sequence, Columns.DECIMAL, Double.doubleToRawLongBits(rate));
    }

    /**
     * The port's rate in this frame into {@code rates[k]}, against its value and time in the frame
     * before, by the snapshot's rule; {@code unknown[k]} when history cannot tell (the oldest kept
     * frame, whose previous is gone, or the same sample again after it).
     */
    private void rateOf(int k, byte kind, long cellBits, long nanos, boolean fresh, double[] rates, boolean[] unknown) {
        unknown[k] = false;
        if (framesSeen == 0) {
            unknown[k] = true;
            rates[k] = Double.NaN;
        } else if (!fresh || !known[k]) {
            rates[k] = Double.NaN; // carried over, or new since the previous frame
        } else if (nanos == lastNanos[k]) {
            rates[k] = lastRates[k]; // the same sample again: the snapshot keeps the rate it had
            unknown[k] = lastUnknown[k];
        } else if (nanos < lastNanos[k]) {
            rates[k] = Double.NaN;
        } else {
            // in µs, as the snapshot divides: (t - t') / 1e6
            double seconds = (Math.floorDiv(nanos, 1000L) - Math.floorDiv(lastNanos[k], 1000L)) / 1e6;
            rates[k] = Aggregation.counterRate(kind, cellBits, lastKinds[k], lastBits[k], seconds);
        }
    }

    /** Carries each port's last state over to a segment's rows {@code [first, end)}, by port number. */
    private void remap(Layout layout, int first, int end) {
        int n = end - first;
        int[] numbers = new int[n];
        byte[] kinds = new byte[n];
        long[] bits = new long[n];
        long[] nanos = new long[n];
        double[] rates = new double[n];
        boolean[] unknowns = new boolean[n];
        boolean[] had = new boolean[n];
        for (int k = 0; k < n; k++) {
            numbers[k] = layout.portNumber(first + k);
            int j = k < portNumbers.length && portNumbers[k] == numbers[k] ? k : indexOf(portNumbers, numbers[k]);
            if (j >= 0 && known[j]) {
                kinds[k] = lastKinds[j];
                bits[k] = lastBits[j];
                nanos[k] = lastNanos[j];
                rates[k] = lastRates[j];
                unknowns[k] = lastUnknown[j];
                had[k] = true;
            }
        }
        portNumbers = numbers;
        lastKinds = kinds;
        lastBits = bits;
        lastNanos = nanos;
        lastRates = rates;
        lastUnknown = unknowns;
        known = had;
    }

    private static int indexOf(int[] numbers, int number) {
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] == number) {
                return i;
            }
        }
        return -1;
    }
}
