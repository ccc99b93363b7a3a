package io.fabrictelemetry.metrics.export;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.function.ObjDoubleConsumer;

import org.springframework.stereotype.Component;

import io.fabrictelemetry.metrics.snapshot.Bodies;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import reactor.core.publisher.Mono;

/**
 * The fabric itself in the Prometheus text format: every value of the current snapshot as a
 * series labelled by switch, {@code null} readings left out. Written by Prometheus's own
 * exposition library, and encoded at most once per snapshot: lazily, on the first scrape after a
 * snapshot is published, off the event loop, and shared by concurrent scrapes.
 */
@Component
public class FabricExporter {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false)
            .build();
    private final PerSnapshot<ByteBuffer> encoded = new PerSnapshot<>(snapshot -> encode(snapshot).toDirectBuffer());

    /**
     * The encoded export of a snapshot, off the heap (see {@link Bodies}); encodes it the first time
     * it is asked for. Each call returns an independent read-only view.
     */
    public Mono<ByteBuffer> export(Snapshot snapshot) {
        return encoded.get(snapshot).map(ByteBuffer::duplicate);
    }


    /** Sized from the names, so that the buffer rarely grows: growing a 40 MB array doubles it. */
    Bodies.Sink encode(Snapshot snapshot) {
        int idBytes = 0;
        for (int row = 0; row < snapshot.switchCount(); row++) {
            idBytes += snapshot.switchId(row).length();
        }
        Bodies.Sink out = new Bodies.Sink(snapshot.metrics().size() * (256 + idBytes + snapshot.switchCount() * 60));
        Labels[] labels = new Labels[snapshot.switchCount()];
        for (int row = 0; row < labels.length; row++) {
            labels[row] = Labels.of("switch", snapshot.switchId(row));
        }
        Set<String> names = new HashSet<>();
        try {
            // family by family: the text format simply concatenates, and only one family's data
            // points (one per switch) are alive at a time, which matters at 100,000 switches
            for (int column = 0; column < snapshot.metrics().size(); column++) {
                FabricSeries series = FabricSeries.forColumn(snapshot.metrics().get(column));
                if (!names.add(series.name())) {
                    continue; // two columns that sanitise to one name: the first one wins
                }
                MetricSnapshot family = series.counter()
                        ? counter(snapshot, column, series, labels)
                        : gauge(snapshot, column, series, labels);
                writer.write(out, MetricSnapshots.of(family));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static MetricSnapshot counter(Snapshot snapshot, int column, FabricSeries series, Labels[] labels) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(series.name()).help(series.help());
        forEachReading(snapshot, column, series, labels, (label, value) -> family.dataPoint(
                CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(label).build()));
        return family.build();
    }

    private static MetricSnapshot gauge(Snapshot snapshot, int column, FabricSeries series, Labels[] labels) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(series.name()).help(series.help());
        forEachReading(snapshot, column, series, labels, (label, value) -> family.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(label).build()));
        return family.build();
    }

    /** Every reading of a column in the series' unit; no reading, no data point. */
    private static void forEachReading(Snapshot snapshot, int column, FabricSeries series, Labels[] labels,
            ObjDoubleConsumer<Labels> point) {
        for (int row = 0; row < labels.length; row++) {
            double value = snapshot.numericValue(row, column);
            if (!Double.isNaN(value)) {
                point.accept(labels[row], value * series.factor());
            }
        }
    }
}
