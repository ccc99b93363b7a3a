package io.fabrictelemetry.metrics.export;

import io.fabrictelemetry.metrics.snapshot.Snapshot;

/** Reaches the exporter's synchronous encoding (package-private in the service) for JMH. */
public final class ExportAccess {

    private static final FabricExporter EXPORTER = new FabricExporter();

    private ExportAccess() {
    }

    public static java.nio.ByteBuffer encode(Snapshot snapshot) {
        return EXPORTER.encode(snapshot).toDirectBuffer();
    }
}
