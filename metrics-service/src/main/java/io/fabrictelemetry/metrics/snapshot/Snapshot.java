package io.fabrictelemetry.metrics.snapshot;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonGenerator;

/**
 * One published state of the fabric as the API serves it. Built once per accepted payload, then
 * never changed: readers share it without locks. Everything each reader would otherwise compute
 * (lookup indexes, the encoded ListMetrics body) is computed here, once.
 */
public final class Snapshot {

    private final long sequence;
    private final Instant sampledAt;
    private final Instant collectedAt;
    private final @Nullable String generatorEtag;
    private final String etag;
    private final Table table;
    private final Map<String, Integer> switchIndex;
    private final Map<String, Integer> metricIndex;
    private final Map<String, Instant> carriedOver;
    private final String sampledAtText;
    private final String collectedAtText;
    private final ByteBuffer listMetricsJson;

    Snapshot(long sequence, Instant sampledAt, Instant collectedAt, @Nullable String generatorEtag, String etag,
            Table table, Map<String, Instant> carriedOver) {
        this.sequence = sequence;
        this.carriedOver = carriedOver;
        this.sampledAtText = TimeFormat.iso(sampledAt);
        this.collectedAtText = TimeFormat.iso(collectedAt);
        this.sampledAt = sampledAt;
        this.collectedAt = collectedAt;
        this.generatorEtag = generatorEtag;
        this.etag = etag;
        this.table = table;
        this.switchIndex = indexOf(List.of(table.switchIds()));
        this.metricIndex = indexOf(table.metrics());
        this.listMetricsJson = ListMetricsEncoder.encode(this);
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>((int) (names.size() / 0.75f) + 1);
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        // never modified after this; a copy into an immutable map would double the build's work
        return Collections.unmodifiableMap(index);
    }

    /** Increases by one per published snapshot, starting at 1. */
    public long sequence() {
        return sequence;
    }

    /** When the generator produced the values ({@code X-Sampled-At}), else when they were collected. */
    public Instant sampledAt() {
        return sampledAt;
    }

    /** {@link #sampledAt()} as the API writes it, formatted once. */
    public String sampledAtText() {
        return sampledAtText;
    }

    /** {@link #sampledAt(String)} as the API writes it. */
    public String sampledAtText(String switchId) {
        Instant carried = carriedOver.get(switchId);
        return carried == null ? sampledAtText : TimeFormat.iso(carried);
    }

    /** {@link #collectedAt()} as the API writes it, formatted once. */
    public String collectedAtText() {
        return collectedAtText;
    }

    /** When the {@code 200} response that built this snapshot arrived. */
    public Instant collectedAt() {
        return collectedAt;
    }

    /** The generator's ETag for the payload, sent back as {@code If-None-Match}. */
    public @Nullable String generatorEtag() {
        return generatorEtag;
    }

    /** This service's strong, quoted ETag for the snapshot: boot identifier and sequence. */
    public String etag() {
        return etag;
    }

    public List<String> metrics() {
        return table.metrics();
    }

    public int switchCount() {
        return table.switchCount();
    }

    public int rejectedRows() {
        return table.rejectedRows();
    }

    public int rejectedValues() {
        return table.rejectedValues();
    }

    /** Row of a switch, or -1 when the snapshot does not have it. */
    public int switchRow(String switchId) {
        Integer row = switchIndex.get(switchId);
        return row == null ? -1 : row;
    }

    /** Column of a metric, or -1 when the snapshot does not have it. */
    public int metricColumn(String metric) {
        Integer column = metricIndex.get(metric);
        return column == null ? -1 : column;
    }

    public String switchId(int row) {
        return table.switchIds()[row];
    }

    /**
     * Switches whose row was damaged in the latest payload and who still show older values, with
     * the {@code sampledAt} of those values. Empty when none.
     */
    public Map<String, Instant> carriedOver() {
        return carriedOver;
    }

    /** When the values shown for this switch were sampled: older than {@link #sampledAt()} if carried over. */
    public Instant sampledAt(String switchId) {
        return carriedOver.getOrDefault(switchId, sampledAt);
    }

    long rawCell(int row, int column) {
        return table.cells()[table.index(row, column)];
    }

    byte rawKind(int row, int column) {
        return table.kinds()[table.index(row, column)];
    }

    /** Writes one cell as a JSON value: an integer, a decimal, or {@code null} for no reading. */
    public void writeValue(JsonGenerator json, int row, int column) {
        int i = table.index(row, column);
        switch (table.kinds()[i]) {
            case Table.INTEGER -> json.writeNumber(table.cells()[i]);
            case Table.DECIMAL -> json.writeNumber(Double.longBitsToDouble(table.cells()[i]));
            default -> json.writeNull();
        }
    }

    /** A cell as a double: NaN for no reading. (Integers beyond 2^53 lose precision, as in any float export.) */
    public double numericValue(int row, int column) {
        int i = table.index(row, column);
        return switch (table.kinds()[i]) {
            case Table.INTEGER -> table.cells()[i];
            case Table.DECIMAL -> Double.longBitsToDouble(table.cells()[i]);
            default -> Double.NaN;
        };
    }

    /** The encoded ListMetrics body, off the heap; each call returns an independent read-only view. */
    public ByteBuffer listMetricsBody() {
        return listMetricsJson.duplicate();
    }

    /** A heap copy of the ListMetrics body (for gzip and tests; the API serves {@link #listMetricsBody()}). */
    public byte[] listMetricsJson() {
        return Bodies.toArray(listMetricsJson);
    }
}
