package io.fabrictelemetry.metrics.snapshot;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/** Encodes the ListMetrics body of a snapshot, once, when the snapshot is built. */
public final class ListMetricsEncoder {

    static final JsonFactory JSON = Bodies.JSON;

    private ListMetricsEncoder() {
    }

    /**
     * Encodes straight into a direct buffer (see {@link Bodies.DirectSink}), walking the cells in
     * the order they are stored (row-major: a switch's metrics side by side), as the parser wrote them.
     *
     * @param sizeHint expected size in bytes (from the previous snapshot), or 0 for none
     */
    static ByteBuffer encode(Snapshot snapshot, long sizeHint) {
        List<String> metrics = snapshot.metrics();
        Bodies.DirectSink out = new Bodies.DirectSink(
                (int) Math.min(Integer.MAX_VALUE - 8, sizeHint > 0 ? sizeHint + sizeHint / 64 + 256 : estimate(snapshot)));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            write(json, snapshot, null, null);
        }
        return out.toReadOnlyBuffer();
    }

    /**
     * Writes the ListMetrics JSON of a snapshot, or of a selection of it: the whole snapshot's body
     * and every filtered one come from this one writer, so they cannot drift apart.
     *
     * @param rows the switches' rows in generator order, or {@code null} for all
     * @param columns the metrics' columns in generator order, or {@code null} for all
     */
    public static void write(JsonGenerator json, Snapshot snapshot, int @Nullable [] rows, int @Nullable [] columns) {
        List<String> metrics = snapshot.metrics();
        int[] cols = columns != null ? columns : all(metrics.size());
        int switchCount = rows == null ? snapshot.switchCount() : rows.length;
        json.writeStartObject();
        json.writeNumberProperty("sequence", snapshot.sequence());
        json.writeStringProperty("sampledAt", snapshot.sampledAtText());
        json.writeStringProperty("collectedAt", snapshot.collectedAtText());
        json.writeName("metrics");
        json.writeStartArray();
        for (int column : cols) {
            json.writeString(metrics.get(column));
        }
        json.writeEndArray();
        // metric names repeat once per switch: escape and encode each once
        SerializedString[] names = new SerializedString[cols.length];
        for (int i = 0; i < cols.length; i++) {
            names[i] = new SerializedString(metrics.get(cols[i]));
        }
        json.writeName("switches");
        json.writeStartObject();
        boolean anyCarried = false;
        char[] scratch = new char[Snapshot.SCRATCH_LENGTH];
        for (int i = 0; i < switchCount; i++) {
            int row = rows == null ? i : rows[i];
            String id = snapshot.switchId(row);
            anyCarried |= !snapshot.carriedOver().isEmpty() && snapshot.carriedOver().containsKey(id);
            json.writeName(id);
            json.writeStartObject();
            for (int c = 0; c < cols.length; c++) {
                json.writeName(names[c]);
                snapshot.writeValue(json, row, cols[c], scratch);
            }
            json.writeEndObject();
        }
        json.writeEndObject();
        if (anyCarried) {
            json.writeName("carriedOver");
            json.writeStartObject();
            for (int i = 0; i < switchCount; i++) {
                String id = snapshot.switchId(rows == null ? i : rows[i]);
                if (snapshot.carriedOver().containsKey(id)) {
                    json.writeStringProperty(id, snapshot.sampledAtText(id));
                }
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static int[] all(int count) {
        int[] all = new int[count];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** Without a previous body to go by: names and IDs exactly, ten bytes a value (most are shorter). */
    private static long estimate(Snapshot snapshot) {
        long perRow = 3; // "{}" and a comma
        for (String metric : snapshot.metrics()) {
            perRow += metric.length() + 4 + 10;
        }
        long size = 256 + perRow * snapshot.switchCount();
        for (int row = 0; row < snapshot.switchCount(); row++) {
            size += snapshot.switchId(row).length() + 3;
        }
        return size;
    }
}
