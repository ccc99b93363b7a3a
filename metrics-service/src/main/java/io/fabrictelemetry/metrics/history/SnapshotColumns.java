package io.fabrictelemetry.metrics.history;

import java.util.List;

import io.fabrictelemetry.metrics.snapshot.Snapshot;

/** A published snapshot as the cells history encodes. */
record SnapshotColumns(Snapshot snapshot) implements Columns {

    @Override
    public long sequence() {
        return snapshot.sequence();
    }

    @Override
    public long sampledAtMillis() {
        return snapshot.sampledAt().toEpochMilli();
    }

    @Override
    public List<String> metrics() {
        return snapshot.metrics();
    }

    @Override
    public int rows() {
        return snapshot.switchCount();
    }

    @Override
    public String switchId(int row) {
        return snapshot.switchId(row);
    }

    @Override
    public byte kind(int row, int column) {
        return snapshot.cellKind(row, column);
    }

    @Override
    public long bits(int row, int column) {
        return snapshot.cellBits(row, column);
    }

    @Override
    public boolean carriedOver(int row) {
        return !snapshot.carriedOver().isEmpty() && snapshot.carriedOver().containsKey(snapshot.switchId(row));
    }
}
