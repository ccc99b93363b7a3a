package io.fabrictelemetry.metrics.snapshot;

import java.time.Instant;
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
        int[] previousColumn = new int[width];
        for (int c = 0; c < width; c++) {
            previousColumn[c] = previous.metricColumn(table.metrics().get(c));
        }
        Table.Builder merged = Table.builder(table.metrics(), table.switchCount() + carried.size());
        long[] rowCells = new long[width];
        byte[] rowKinds = new byte[width];
        Map<String, Instant> carriedOver = new LinkedHashMap<>();
        int next = 0; // next carried entry
        for (int in = 0; in <= table.switchCount(); in++) {
            while (next < carried.size() && carried.get(next).position() == in) {
                String id = carried.get(next++).switchId();
                int from = previous.switchRow(id);
                for (int c = 0; c < width; c++) {
                    // a column the previous snapshot did not have is no reading
                    rowCells[c] = previousColumn[c] >= 0 ? previous.rawCell(from, previousColumn[c]) : 0;
                    rowKinds[c] = previousColumn[c] >= 0 ? previous.rawKind(from, previousColumn[c]) : CellKind.NONE;
                }
                merged.add(id, rowCells, rowKinds);
                carriedOver.put(id, previous.sampledAt(id));
            }
            if (in < table.switchCount()) {
                merged.add(table, in);
            }
        }
        return new Merged(merged.build(table.rejectedRows(), table.rejectedValues(), List.of()),
                Map.copyOf(carriedOver));
    }
}
