package io.fabrictelemetry.metrics.history;

import java.time.Instant;
import java.util.List;

import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * A published snapshot of port rows as the cells history encodes: one row per port, the source's
 * metrics alone. The switch aggregates and the counters' rates are not stored: both are derived
 * from the ports' kept values when asked for ({@link PortSeries}).
 */
record PortColumns(Snapshot snapshot, PortView ports, List<String> metrics) implements Columns {

    static PortColumns of(Snapshot snapshot, PortView ports) {
        return new PortColumns(snapshot, ports, snapshot.metrics().subList(0, snapshot.generatorMetricCount()));
    }

    @Override
    public long sequence() {
        return snapshot.sequence();
    }

    @Override
    public long sampledAtMillis() {
        return snapshot.sampledAt().toEpochMilli();
    }

    @Override
    public long sampledAtNanos() {
        return nanos(snapshot.sampledAt());
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    @Override
    public int rows() {
        return ports.portCount();
    }

    @Override
    public String switchId(int row) {
        return snapshot.switchId(ports.switchRowOf(row));
    }

    @Override
    public byte kind(int row, int column) {
        return ports.cellKind(row, column);
    }

    @Override
    public long bits(int row, int column) {
        return ports.cellBits(row, column);
    }

    @Override
    public boolean carriedOver(int row) {
        return ports.carriedOver(row);
    }

    @Override
    public boolean portRows() {
        return true;
    }

    @Override
    public int portNumber(int row) {
        return ports.portNumber(row);
    }

    @Override
    public long sampledAtNanos(int row) {
        return nanos(ports.sampledAt(row));
    }

    @Override
    public boolean counter(int column) {
        return snapshot.isSum(column);
    }
}
