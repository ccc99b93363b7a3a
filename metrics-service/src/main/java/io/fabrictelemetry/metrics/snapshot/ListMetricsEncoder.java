package io.fabrictelemetry.metrics.snapshot;

import java.nio.ByteBuffer;
import java.util.List;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/** Encodes the ListMetrics body of a snapshot, once, when the snapshot is built. */
final class ListMetricsEncoder {

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
            json.writeStartObject();
            json.writeNumberProperty("sequence", snapshot.sequence());
            json.writeStringProperty("sampledAt", snapshot.sampledAtText());
            json.writeStringProperty("collectedAt", snapshot.collectedAtText());
            json.writeName("metrics");
            json.writeStartArray();
            for (String metric : metrics) {
                json.writeString(metric);
            }
            json.writeEndArray();
            json.writeName("switches");
            json.writeStartObject();
            // metric names repeat once per switch: escape and encode each once
            SerializedString[] names = metrics.stream().map(SerializedString::new).toArray(SerializedString[]::new);
            for (int row = 0; row < snapshot.switchCount(); row++) {
                json.writeName(snapshot.switchId(row));
                json.writeStartObject();
                for (int column = 0; column < names.length; column++) {
                    json.writeName(names[column]);
                    snapshot.writeValue(json, row, column);
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            if (!snapshot.carriedOver().isEmpty()) {
                json.writeName("carriedOver");
                json.writeStartObject();
                for (int row = 0; row < snapshot.switchCount(); row++) {
                    String id = snapshot.switchId(row);
                    if (snapshot.carriedOver().containsKey(id)) {
                        json.writeStringProperty(id, TimeFormat.iso(snapshot.carriedOver().get(id)));
                    }
                }
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        return out.toReadOnlyBuffer();
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
