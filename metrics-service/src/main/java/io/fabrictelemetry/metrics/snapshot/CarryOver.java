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
        if (table.ports() != null) {
            return new Merged(mergePorts(table, previous, builtAt, staleAfter), Map.of());
        }
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

    /**
     * Port rows: each damaged port row (a placeholder naming its port) takes that port's values
     * from {@code previous} (none once older than {@code STALE_AFTER}) and the time they were
     * sampled, and is marked carried over; a damaged port the previous snapshot lacks is dropped.
     * {@code previous} null: every placeholder is dropped.
     */
    static Table mergePorts(Table table, @org.jspecify.annotations.Nullable Snapshot previous, Instant builtAt,
            Duration staleAfter) {
        PortRows rows = table.ports();
        if (rows == null || rows.damaged == null) {
            return table;
        }
        PortView before = previous == null ? null : previous.ports();
        int width = rows.width;
        int[] previousColumn = new int[width];
        for (int c = 0; c < width; c++) {
            previousColumn[c] = before == null ? -1 : previous.generatorColumn(rows.metrics.get(c));
        }
        int count = 0;
        int[] keep = new int[rows.portCount];
        int[] from = new int[rows.portCount];
        for (int p = 0; p < rows.portCount; p++) {
            from[p] = -1;
            if (rows.damaged[p]) {
                int previousSwitch = before == null ? -1 : previous.table().row(rows.guids[rows.switchOf[p]]);
                from[p] = previousSwitch < 0 ? -1 : before.portRow(previousSwitch, rows.portNumbers[p]);
                if (from[p] < 0) {
                    continue;
                }
            }
            keep[count++] = p;
        }
        int[] switchOf = new int[count];
        int[] portNumbers = new int[count];
        long[] micros = new long[count];
        long[] cells = new long[count * width];
        byte[] kinds = new byte[count * width];
        boolean[] carried = new boolean[count];
        for (int r = 0; r < count; r++) {
            int p = keep[r];
            switchOf[r] = rows.switchOf[p];
            portNumbers[r] = rows.portNumbers[p];
            if (from[p] < 0) {
                micros[r] = rows.micros[p];
                System.arraycopy(rows.cells, p * width, cells, r * width, width);
                System.arraycopy(rows.kinds, p * width, kinds, r * width, width);
                continue;
            }
            carried[r] = true;
            Instant sampledAt = before.sampledAt(from[p]);
            micros[r] = PortView.micros(sampledAt);
            // values older than STALE_AFTER are never passed off as current: the port stays listed,
            // with the sampledAt of its last good row, and no readings
            boolean stale = Duration.between(sampledAt, builtAt).compareTo(staleAfter) > 0;
            for (int c = 0; c < width; c++) {
                if (!stale && previousColumn[c] >= 0) {
                    kinds[r * width + c] = before.cellKind(from[p], previousColumn[c]);
                    cells[r * width + c] = before.cellBits(from[p], previousColumn[c]);
                }
            }
        }
        PortRows merged = PortRows.assemble(rows.metrics, rows.guids.clone(), rows.descriptions.clone(), switchOf,
                portNumbers, micros, cells, kinds, count, null, carried, rows.rejectedRows, rows.unaddressableRows,
                rows.rejectedValues, before == null ? null : before.rows());
        return Table.ofPorts(merged);
    }
}
