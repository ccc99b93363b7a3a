package io.fabrictelemetry.metrics.snapshot;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a switch whose row was damaged in this payload, instead of letting it vanish: its values
 * from the previous snapshot are placed where its row stood, and it is remembered with the
 * {@code sampledAt} of the values it still shows. A switch absent from the payload is not carried.
 */
final class CarryOver {

    private CarryOver() {
    }

    record Merged(Table table, Map<String, Instant> carriedOver) {
    }

    static Merged merge(Table table, Snapshot previous) {
        List<Table.Damaged> carried = table.damaged().stream()
                .filter(d -> previous.switchRow(d.switchId()) >= 0)
                .toList();
        if (carried.isEmpty()) {
            return new Merged(table, Map.of());
        }
        int width = table.metrics().size();
        int rows = table.switchCount() + carried.size();
        String[] ids = new String[rows];
        long[] cells = new long[rows * width];
        byte[] kinds = new byte[rows * width];
        int[] previousColumn = new int[width];
        for (int c = 0; c < width; c++) {
            previousColumn[c] = previous.metricColumn(table.metrics().get(c));
        }
        Map<String, Instant> carriedOver = new LinkedHashMap<>();
        int out = 0;
        int next = 0; // next carried entry
        for (int in = 0; in <= table.switchCount(); in++) {
            while (next < carried.size() && carried.get(next).position() == in) {
                String id = carried.get(next++).switchId();
                int from = previous.switchRow(id);
                for (int c = 0; c < width; c++) {
                    if (previousColumn[c] >= 0) {
                        cells[out * width + c] = previous.rawCell(from, previousColumn[c]);
                        kinds[out * width + c] = previous.rawKind(from, previousColumn[c]);
                    }
                }
                ids[out++] = id;
                carriedOver.put(id, previous.sampledAt(id));
            }
            if (in < table.switchCount()) {
                System.arraycopy(table.cells(), in * width, cells, out * width, width);
                System.arraycopy(table.kinds(), in * width, kinds, out * width, width);
                ids[out++] = table.switchIds()[in];
            }
        }
        Table merged = new Table(table.metrics(), Arrays.copyOf(ids, out), cells, kinds, table.rejectedRows(),
                table.rejectedValues(), List.of());
        return new Merged(merged, Map.copyOf(carriedOver));
    }
}
