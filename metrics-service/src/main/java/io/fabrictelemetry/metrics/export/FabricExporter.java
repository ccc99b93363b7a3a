package io.fabrictelemetry.metrics.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjDoubleConsumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.metrics.body.Bodies;
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
 *
 * <p>Any column the CSV contract allows is exported or left out, never a failed scrape: names
 * come from {@link FabricSeries#forColumn} (the client library's naming rules); a column the
 * library still refuses, or a second column that maps to a name already exported, is left out,
 * said once at WARN per change of the column set.
 */
@Component
public class FabricExporter {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final Logger log = LoggerFactory.getLogger(FabricExporter.class);

    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false)
            .build();
    private final PerSnapshot<ByteBuffer> encoded = new PerSnapshot<>(snapshot -> encode(snapshot).toDirectBuffer());
    private final AtomicReference<@Nullable Families> families = new AtomicReference<>();

    /**
     * What each column of one column set becomes: its series, or {@code null} when it is left out.
     * Worked out once per column set, not per snapshot.
     */
    private record Families(List<String> columns, List<@Nullable FabricSeries> series) {
    }

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
        Bodies.Sink out = new Bodies.Sink(snapshot.generatorMetricCount() * (256 + idBytes + snapshot.switchCount() * 60));
        Labels[] labels = new Labels[snapshot.switchCount()];
        for (int row = 0; row < labels.length; row++) {
            labels[row] = Labels.of("switch", snapshot.switchId(row));
        }
        // the generator's columns only: derived rates are left to Prometheus's own rate()
        List<@Nullable FabricSeries> series =
                familiesOf(snapshot.metrics().subList(0, snapshot.generatorMetricCount())).series();
        try {
            // family by family: the text format simply concatenates, and only one family's data
            // points (one per switch) are alive at a time, which matters at 100,000 switches
            for (int column = 0; column < series.size(); column++) {
                FabricSeries family = series.get(column);
                if (family == null) {
                    continue;
                }
                writer.write(out, MetricSnapshots.of(family.counter()
                        ? counter(snapshot, column, family, labels)
                        : gauge(snapshot, column, family, labels)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The series of each column, worked out (and any left out said, once) when the column set changes. */
    private Families familiesOf(List<String> columns) {
        Families known = families.get();
        if (known != null && known.columns().equals(columns)) {
            return known;
        }
        List<@Nullable FabricSeries> series = new ArrayList<>(columns.size());
        Map<String, String> columnOfName = new HashMap<>();
        List<String> leftOut = new ArrayList<>();
        for (String column : columns) {
            FabricSeries candidate = null;
            try {
                candidate = FabricSeries.forColumn(column);
                // the library's builders check a family's name and help as they will with the data
                if (candidate.counter()) {
                    CounterSnapshot.builder().name(candidate.name()).help(candidate.help()).build();
                } else {
                    GaugeSnapshot.builder().name(candidate.name()).help(candidate.help()).build();
                }
                String first = columnOfName.putIfAbsent(candidate.name(), column);
                if (first != null) {
                    leftOut.add("'" + FabricSeries.printable(column) + "' (maps to " + candidate.name()
                            + ", already exported from '" + FabricSeries.printable(first) + "')");
                    candidate = null;
                }
            } catch (IllegalArgumentException e) {
                leftOut.add("'" + FabricSeries.printable(column) + "' (" + e.getMessage() + ")");
                candidate = null;
            }
            series.add(candidate);
        }
        Families next = new Families(List.copyOf(columns), Collections.unmodifiableList(series));
        families.set(next);
        if (!leftOut.isEmpty()) {
            log.warn("Prometheus export leaves out {} of {} columns: {}", leftOut.size(), columns.size(),
                    String.join("; ", leftOut));
        }
        return next;
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
