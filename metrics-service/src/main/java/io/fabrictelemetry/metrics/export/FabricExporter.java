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
import io.fabrictelemetry.metrics.snapshot.PortView;
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
 *
 * <p>A snapshot of port rows (UFM Telemetry's layout) is exported per port instead, by
 * {@link PortExposition}: its columns named by {@link FabricSeries#forPortColumn}, its switch
 * aggregates left out.
 */
@Component
public class FabricExporter {

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private static final Logger log = LoggerFactory.getLogger(FabricExporter.class);

    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.builder()
            .setIncludeCreatedTimestamps(false)
            .build();
    private final PerSnapshot<ByteBuffer> encoded = new PerSnapshot<>(snapshot -> encode(snapshot).toDirectBuffer());
    private final PerSnapshot<PortExposition.Encoded> portsEncoded = new PerSnapshot<>(this::encodePorts);
    private final AtomicReference<@Nullable Families> families = new AtomicReference<>();

    /**
     * What each column of one column set becomes: its series, or {@code null} when it is left out.
     * Worked out once per column set (and, on port rows, set of counters), not per snapshot.
     *
     * @param counters on port rows, which columns are counters; {@code null} on switch rows
     */
    private record Families(List<String> columns, @Nullable List<Boolean> counters, List<@Nullable FabricSeries> series) {
    }

    /**
     * The encoded export of a snapshot, off the heap (see {@link Bodies}); encodes it the first time
     * it is asked for. Each call returns an independent read-only view.
     */
    public Mono<ByteBuffer> export(Snapshot snapshot) {
        return encoded.get(snapshot).map(ByteBuffer::duplicate);
    }


    /**
     * The export of a snapshot of port rows, one series per port ({@link PortExposition}); encodes
     * it the first time it is asked for, off the event loop, once per snapshot.
     *
     * @throws IllegalArgumentException when the snapshot is of switch rows
     */
    Mono<PortExposition.Encoded> exportPorts(Snapshot snapshot) {
        if (snapshot.ports() == null) {
            throw new IllegalArgumentException("snapshot " + snapshot.sequence() + " has no ports");
        }
        return portsEncoded.get(snapshot);
    }

    PortExposition.Encoded encodePorts(Snapshot snapshot) {
        PortView ports = snapshot.ports();
        if (ports == null) {
            throw new IllegalArgumentException("snapshot " + snapshot.sequence() + " has no ports");
        }
        // the payload's columns only: derived rates are left to Prometheus's own rate()
        List<String> columns = snapshot.metrics().subList(0, snapshot.generatorMetricCount());
        List<Boolean> counters = new ArrayList<>(columns.size());
        for (int column = 0; column < columns.size(); column++) {
            counters.add(snapshot.isSum(column));
        }
        return PortExposition.encode(snapshot, ports, familiesOf(columns, counters).series());
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
                familiesOf(snapshot.metrics().subList(0, snapshot.generatorMetricCount()), null).series();
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

    /**
     * The series of each column, worked out (and any left out said, once) when the column set
     * changes: named by {@link FabricSeries#forColumn} on switch rows, by
     * {@link FabricSeries#forPortColumn} on port rows ({@code counters} not null).
     */
    private Families familiesOf(List<String> columns, @Nullable List<Boolean> counters) {
        Families known = families.get();
        if (known != null && known.columns().equals(columns) && java.util.Objects.equals(known.counters(), counters)) {
            return known;
        }
        List<@Nullable FabricSeries> series = new ArrayList<>(columns.size());
        Map<String, String> columnOfName = new HashMap<>();
        List<String> leftOut = new ArrayList<>();
        for (int index = 0; index < columns.size(); index++) {
            String column = columns.get(index);
            FabricSeries candidate = null;
            try {
                candidate = counters == null ? FabricSeries.forColumn(column)
                        : FabricSeries.forPortColumn(column, counters.get(index));
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
        Families next = new Families(List.copyOf(columns), counters == null ? null : List.copyOf(counters),
                Collections.unmodifiableList(series));
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
