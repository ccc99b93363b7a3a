package io.fabrictelemetry.metrics.ingest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The port rows of the second half of a payload as another thread read them, in order, for the
 * first half's reader to apply after its own rows exactly as it would have read them itself
 * ({@code CsvPayloadParser.TableBuilder#replay}): per row its switch (a GUID, numbered here in order
 * of first appearance), port number, time, description, whether it had the header's number of
 * cells, and its cells. The numbers were parsed here; applying a row is a lookup and a copy.
 */
final class PortRowLog {

    final int width;
    String[] guids = new String[64];
    int switches;
    private final Map<String, Integer> switchIndex = new HashMap<>();
    int[] switchOf; // per row: the GUID's number here, -1 for no well-formed GUID
    int[] ports; // per row: -1 for no well-formed port number
    long[] micros;
    boolean[] whole; // per row: as many cells as the header
    int[] rejectedValues;
    @Nullable String[] descriptions; // per row: its non-empty node_description, else null
    long[] cells;
    byte[] kinds;
    int rows;
    private @Nullable String lastDescription;

    PortRowLog(int width, int expectedRows) {
        this.width = width;
        int capacity = Math.max(16, expectedRows);
        switchOf = new int[capacity];
        ports = new int[capacity];
        micros = new long[capacity];
        whole = new boolean[capacity];
        rejectedValues = new int[capacity];
        descriptions = new String[capacity];
        cells = new long[capacity * width];
        kinds = new byte[capacity * width];
    }

    /** The number of a well-formed GUID, {@code buf[off, off + len)}; the usual row has the previous row's. */
    int switchOf(char[] buf, int off, int len) {
        if (switches > 0 && sameChars(guids[switches - 1], buf, off, len)) {
            return switches - 1;
        }
        String guid = new String(buf, off, len);
        Integer known = switchIndex.get(guid);
        if (known != null) {
            return known;
        }
        if (switches == guids.length) {
            guids = Arrays.copyOf(guids, switches * 2);
        }
        guids[switches] = guid;
        switchIndex.put(guid, switches);
        return switches++;
    }

    /** A non-empty description as a String: the previous row's when the same. */
    String description(char[] buf, int off, int len) {
        if (lastDescription == null || !sameChars(lastDescription, buf, off, len)) {
            lastDescription = new String(buf, off, len);
        }
        return lastDescription;
    }

    void add(int switchNumber, int port, long timeMicros, boolean wholeRow, int rowRejectedValues,
            @Nullable String description, long[] rowCells, byte[] rowKinds) {
        if (rows == switchOf.length) {
            int capacity = rows * 2;
            switchOf = Arrays.copyOf(switchOf, capacity);
            ports = Arrays.copyOf(ports, capacity);
            micros = Arrays.copyOf(micros, capacity);
            whole = Arrays.copyOf(whole, capacity);
            rejectedValues = Arrays.copyOf(rejectedValues, capacity);
            descriptions = Arrays.copyOf(descriptions, capacity);
            cells = Arrays.copyOf(cells, capacity * width);
            kinds = Arrays.copyOf(kinds, capacity * width);
        }
        switchOf[rows] = switchNumber;
        ports[rows] = port;
        micros[rows] = timeMicros;
        whole[rows] = wholeRow;
        rejectedValues[rows] = rowRejectedValues;
        descriptions[rows] = description;
        System.arraycopy(rowCells, 0, cells, rows * width, width);
        System.arraycopy(rowKinds, 0, kinds, rows * width, width);
        rows++;
    }

    private static boolean sameChars(String known, char[] buf, int off, int len) {
        if (known.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (known.charAt(i) != buf[off + i]) {
                return false;
            }
        }
        return true;
    }
}
