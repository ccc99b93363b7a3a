package io.fabrictelemetry.metrics.snapshot;

import java.nio.ByteBuffer;
import java.util.List;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/** Encodes the ListMetrics body of a snapshot, once, when the snapshot is built. */
final class ListMetricsEncoder {

    static final JsonFactory JSON = new JsonFactory();

    private ListMetricsEncoder() {
    }

    static ByteBuffer encode(Snapshot snapshot) {
        List<String> metrics = snapshot.metrics();
        Bodies.Sink out = new Bodies.Sink(64 + snapshot.switchCount() * (16 + metrics.size() * 24));
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
        return out.toDirectBuffer();
    }
}
