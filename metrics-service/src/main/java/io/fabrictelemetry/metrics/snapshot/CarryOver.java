package io.fabrictelemetry.metrics.snapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a switch whose row was damaged in this payload, instead of letting it vanish: its values
 * from the previous snapshot are placed where its row stood, and it is remembered with the
 * {@code sampledAt} of the values it still shows. Once those values are older than
 * {@code STALE_AFTER} (judged when each snapshot is built, so that bodies stay encoded once), the
 * switch is still listed with that {@code sampledAt}, but without readings. A switch absent from
 * the payload is not carried.
 */
final class CarryOver {

    private CarryOver() {
    }

    record Merged(Table table, Map<String, Instant> carriedOver) {
    }

    /**
     * @param builtAt    when the new snapshot is built (its {@code collectedAt})
     * @param staleAfter how old carried values may be: older ones are carried as no reading
     */
    static Merged merge(Table table, Snapshot previous, Instant builtAt, Duration staleAfter) {
        List<Table.Damaged> carried = table.damaged().stream()
                .filter(d -> previous.switchRow(d.switchId()) >= 0)
                .toList();
        if (carried.isEmpty()) {
            return new Merged(table, Map.of());
        }
        int width = table.metrics().size();
        int[] previousColumn = new int[width];
        for (int c = 0; c < width; c++) {
            previousColumn[c] = previous.generatorColumn(table.metrics().get(c));
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
                Instant sampledAt = previous.sampledAt(id);
                // values older than STALE_AFTER are never passed off as current: the switch stays
                // listed, with the sampledAt of its last good row, and no readings
                boolean stale = Duration.between(sampledAt, builtAt).compareTo(staleAfter) > 0;
                for (int c = 0; c < width; c++) {
                    // a column the previous snapshot did not have is no reading
                    boolean kept = !stale && previousColumn[c] >= 0;
                    rowCells[c] = kept ? previous.rawCell(from, previousColumn[c]) : 0;
                    rowKinds[c] = kept ? previous.rawKind(from, previousColumn[c]) : CellKind.NONE;
                }
                merged.add(id, rowCells, rowKinds);
                carriedOver.put(id, sampledAt);
            }
            if (in < table.switchCount()) {
                merged.add(table, in);
            }
        }
        return new Merged(merged.build(table.rejectedRows(), table.unaddressableRows(), table.rejectedValues(), List.of()),
                Map.copyOf(carriedOver));
    }
}
