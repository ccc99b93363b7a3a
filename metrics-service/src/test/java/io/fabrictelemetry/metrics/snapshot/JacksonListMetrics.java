package io.fabrictelemetry.metrics.snapshot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.body.Bodies;
import tools.jackson.core.JsonGenerator;

/**
 * The reference for ListMetrics bodies in tests: the document written with the API's Jackson
 * generator, value by value through {@link JacksonValues#writeValue}, as the
 * service encoded it before it wrote bytes itself. The encoder must give exactly these bytes.
 */
public final class JacksonListMetrics {

    private JacksonListMetrics() {
    }

    public static String of(Snapshot snapshot, int @Nullable [] rows, int @Nullable [] columns) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = Bodies.JSON.createGenerator(out)) {
            List<String> metrics = snapshot.metrics();
            int[] cols = columns;
            if (cols == null) {
                cols = new int[metrics.size()];
                for (int i = 0; i < cols.length; i++) {
                    cols[i] = i;
                }
            }
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
            json.writeName("switches");
            json.writeStartObject();
            boolean anyCarried = false;
            for (int i = 0; i < switchCount; i++) {
                int row = rows == null ? i : rows[i];
                String id = snapshot.switchId(row);
                anyCarried |= snapshot.carriedOver().containsKey(id);
                json.writeName(id);
                json.writeStartObject();
                for (int column : cols) {
                    json.writeName(metrics.get(column));
                    JacksonValues.writeValue(snapshot, json, row, column);
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
        return out.toString(StandardCharsets.UTF_8);
    }
}
