package io.fabrictelemetry.metrics.snapshot;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.body.Decimals;
import io.fabrictelemetry.metrics.body.Gzip;
import io.fabrictelemetry.metrics.body.JsonOut;
import io.fabrictelemetry.conventions.TimeFormat;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.io.NumberOutput;

/**
 * One published state of the fabric as the API serves it. Built once per accepted payload, then
 * never changed: readers share it without locks. Everything each reader would otherwise compute
 * (lookup indexes, the encoded ListMetrics body and its gzip) is computed here, once. This is the
 * read model every feature (API, export) reads through: rows and columns by index, cells as JSON
 * or as doubles, and the times of the values.
 */
public final class Snapshot {

    /** What a derived counter rate's name ends with: {@code <counter>_per_second}. */
    public static final String RATE_SUFFIX = CounterRates.SUFFIX;

    private final long sequence;
    private final Instant sampledAt;
    private final Instant collectedAt;
    private final @Nullable String generatorEtag;
    private final String etag;
    private final Table table;
    private final Map<String, Integer> metricIndex;
    private final Map<String, Instant> carriedOver;
    private final @Nullable PortView ports;
    private final boolean[] sumColumns; // per generator column: its switch aggregate is a sum
    private final long @Nullable [] switchMicros; // port rows: each switch's oldest port time, µs
    private final @Nullable Aliases aliases; // port rows: GUIDs case-insensitively, and descriptions
    private final String sampledAtText;
    private final String collectedAtText;
    private final Map<String, Integer> generatorIndex;
    private final CounterRates rates;
    private final List<String> metrics;
    private final ByteBuffer listMetricsJson;
    private final long listMetricsGeneratorBytes;
    private final Mono<byte[]> listMetricsGzip;
    private final long switchIdBytes;
    // the ListMetrics body buffer of the snapshot that follows this one, once its payload is being parsed
    private final java.util.concurrent.atomic.AtomicReference<java.util.concurrent.@Nullable CompletableFuture<ByteBuffer>>
            nextBody = new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * @param previous            the snapshot this one replaces, for the counters' rates (not kept)
     * @param counters            the counter columns whose rates become derived metrics
     * @param listMetricsSizeHint the expected size in bytes of the ListMetrics body without its
     *                            rates, or 0 when unknown
     */
    Snapshot(long sequence, Instant sampledAt, Instant collectedAt, @Nullable String generatorEtag, String etag,
            Table table, Map<String, Instant> carriedOver, @Nullable Snapshot previous, List<String> counters,
            long listMetricsSizeHint) {
        this.sequence = sequence;
        this.sampledAtText = TimeFormat.iso(sampledAt);
        this.collectedAtText = TimeFormat.iso(collectedAt);
        this.sampledAt = sampledAt;
        this.collectedAt = collectedAt;
        this.generatorEtag = generatorEtag;
        this.etag = etag;
        this.generatorIndex = previous != null && previous.table.metrics().equals(table.metrics())
                ? previous.generatorIndex : indexOf(table.metrics());
        this.sumColumns = sumColumns(table.metrics(), counters);
        PortRows portRows = table.ports();
        java.util.concurrent.@Nullable CompletableFuture<ByteBuffer> reserved = null;
        if (portRows == null) {
            this.carriedOver = carriedOver;
            this.table = table;
            this.ports = null;
            this.switchMicros = null;
            this.aliases = null;
            this.rates = CounterRates.compute(this, previous, counters);
        } else {
            @Nullable Snapshot previousPorts = previous != null && previous.ports != null ? previous : null;
            // the body's direct buffer: allocated on an encoder thread since this payload's parse
            // began (prepareSuccessor), else from now on, while this thread computes
            reserved = previousPorts == null ? null : previousPorts.nextBody.getAndSet(null);
            if (reserved == null && previousPorts != null && listMetricsSizeHint > 0) {
                reserved = ListMetricsEncoder.reserveFor(previousPorts, portRows, counters, listMetricsSizeHint);
            }
            @Nullable Table previousTable = previousPorts == null ? null : previousPorts.table;
            boolean[] sums = sumColumns;
            // the switch aggregates on an encoder thread while this one computes the ports' rates
            java.util.concurrent.CompletableFuture<Table> aggregates = portRows.portCount() < ListMetricsEncoder.PARALLEL_PORTS
                    ? java.util.concurrent.CompletableFuture.completedFuture(Aggregates.of(portRows, sums, previousTable))
                    : java.util.concurrent.CompletableFuture.supplyAsync(() -> Aggregates.of(portRows, sums, previousTable),
                            EncoderThreads.EXECUTOR);
            long defaultMicros = PortView.micros(sampledAt);
            CounterRates portRates = CounterRates.computePorts(portRows, defaultMicros, previousPorts,
                    CounterRates.rateColumns(portRows.metrics, counters));
            this.table = joined(aggregates);
            this.rates = CounterRates.aggregate(portRows, portRates);
            this.ports = new PortView(portRows, portRates, sampledAt, sampledAtText,
                    previousPorts == null ? null : previousPorts.ports);
            this.switchMicros = oldest(portRows, defaultMicros);
            this.carriedOver = carriedSwitches(portRows, switchMicros);
            this.aliases = previousPorts != null && previousPorts.aliases != null
                    && previousPorts.aliases.sameSwitches(portRows) ? previousPorts.aliases : new Aliases(portRows);
        }
        if (rates.names().isEmpty()) {
            this.metrics = table.metrics();
            this.metricIndex = generatorIndex;
        } else {
            List<String> all = new ArrayList<>(table.metrics());
            all.addAll(rates.names());
            this.metrics = List.copyOf(all);
            this.metricIndex = indexOf(metrics);
        }
        long idBytes = 0;
        for (int row = 0; row < table.switchCount(); row++) {
            idBytes += JsonOut.stringBytes(table.switchId(row));
        }
        this.switchIdBytes = idBytes;
        this.listMetricsJson = ListMetricsEncoder.encode(this, listMetricsSizeHint, reserved);
        this.listMetricsGeneratorBytes = ListMetricsEncoder.generatorBytes(this, listMetricsJson.remaining());
        // too costly for the ingestion path (~1 s at 100,000 switches) and too costly per request:
        // compressed on the first gzip request, off the event loop, once, shared by concurrent requests
        this.listMetricsGzip = Mono.fromCallable(() -> Gzip.compress(listMetricsJson()))
                .subscribeOn(Schedulers.boundedElastic())
                .cache();
    }

    /** The value of a task of this snapshot's, its failure rethrown as it was thrown. */
    private static <T> T joined(java.util.concurrent.CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static boolean[] sumColumns(List<String> metrics, List<String> counters) {
        boolean[] sum = new boolean[metrics.size()];
        for (int column : CounterProperties.columns(counters, metrics)) {
            sum[column] = true;
        }
        return sum;
    }

    /** Each switch's oldest port time: what its aggregate's {@code sampledAt} is. */
    private static long[] oldest(PortRows rows, long defaultMicros) {
        long[] oldest = new long[rows.switchCount()];
        for (int s = 0; s < oldest.length; s++) {
            long min = Long.MAX_VALUE;
            for (int p = rows.switchStart[s]; p < rows.switchStart[s + 1]; p++) {
                long micros = rows.micros[p];
                min = Math.min(min, micros == PortRows.NO_TIME ? defaultMicros : micros);
            }
            oldest[s] = min == Long.MAX_VALUE ? defaultMicros : min;
        }
        return oldest;
    }

    /** Switches with a carried-over port, with their aggregate's {@code sampledAt}. */
    private static Map<String, Instant> carriedSwitches(PortRows rows, long[] switchMicros) {
        if (rows.carried == null) {
            return Map.of();
        }
        Map<String, Instant> carried = new java.util.LinkedHashMap<>();
        for (int p = 0; p < rows.portCount; p++) {
            if (rows.carried[p]) {
                int s = rows.switchOf[p];
                carried.putIfAbsent(rows.guids[s], PortView.instant(switchMicros[s]));
            }
        }
        return Collections.unmodifiableMap(carried);
    }

    /**
     * What else names a switch of port rows: its GUID in any case, or a {@code node_description}
     * that names exactly one switch. Built once per snapshot, shared while the switches stay.
     */
    private static final class Aliases {

        private static final int AMBIGUOUS = -2;
        private final String[] guids;
        private final @Nullable String[] descriptions;
        private final Map<String, Integer> lowerGuids;
        private final Map<String, Integer> byDescription;

        Aliases(PortRows rows) {
            this.guids = rows.guids;
            this.descriptions = rows.descriptions;
            this.lowerGuids = new HashMap<>((int) (guids.length / 0.75f) + 1);
            this.byDescription = new HashMap<>((int) (guids.length / 0.75f) + 1);
            for (int s = 0; s < guids.length; s++) {
                lowerGuids.merge(guids[s].toLowerCase(java.util.Locale.ROOT), s, (a, b) -> AMBIGUOUS);
                if (descriptions[s] != null) {
                    byDescription.merge(descriptions[s], s, (a, b) -> AMBIGUOUS);
                }
            }
        }

        boolean sameSwitches(PortRows rows) {
            return rows.guids == guids && rows.descriptions == descriptions;
        }

        int row(String name) {
            Integer row = lowerGuids.get(name.toLowerCase(java.util.Locale.ROOT));
            if (row == null) {
                row = byDescription.get(name);
            }
            return row == null || row < 0 ? -1 : row;
        }
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>((int) (names.size() / 0.75f) + 1);
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        // never modified after this; a copy into an immutable map would double the build's work
        return Collections.unmodifiableMap(index);
    }

    /**
     * Called when the payload that will follow this snapshot starts being parsed: on a snapshot of
     * many ports, an encoder thread starts allocating the direct buffer of the next ListMetrics
     * body (hundreds of MB, zeroed: about as costly as writing them), sized from this body, so that
     * it is ready by the time the next snapshot is encoded. At most one buffer is reserved per
     * snapshot, and taken by the first snapshot built on this one; nothing is reserved otherwise.
     */
    public void prepareSuccessor() {
        if (ports == null || ports.portCount() < ListMetricsEncoder.PARALLEL_PORTS || nextBody.get() != null) {
            return;
        }
        java.util.concurrent.CompletableFuture<ByteBuffer> reserved = ListMetricsEncoder.reserveLike(this);
        if (!nextBody.compareAndSet(null, reserved)) {
            reserved.cancel(false);
        }
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
        if (switchMicros != null) {
            int row = switchRow(switchId);
            return row < 0 || switchMicros[row] == PortView.micros(sampledAt) ? sampledAtText
                    : TimeFormat.iso(PortView.instant(switchMicros[row]));
        }
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

    /** Every metric: the generator's columns in its order, then the derived rates of its counters. */
    public List<String> metrics() {
        return metrics;
    }

    /**
     * How many of {@link #metrics()} come from the generator: columns from this one on are derived
     * ({@code <counter>_per_second}) and not the generator's readings.
     */
    public int generatorMetricCount() {
        return table.metrics().size();
    }

    /** The generator's own metrics, in its order. */
    List<String> generatorMetrics() {
        return table.metrics();
    }

    /** Column of one of the generator's own metrics, or -1 (derived metrics included). */
    int generatorColumn(String metric) {
        Integer column = generatorIndex.get(metric);
        return column == null ? -1 : column;
    }

    public int switchCount() {
        return table.switchCount();
    }

    /**
     * The bytes of every switch ID together as a JSON body writes them ({@link JsonOut#stringBytes}):
     * what the IDs add to a body that lists every switch, known without a pass over them (an ID may
     * run to 256 characters, the longest a query can name, and a character to six bytes).
     */
    public long switchIdBytes() {
        return switchIdBytes;
    }

    public int rejectedRows() {
        return table.rejectedRows();
    }

    public int rejectedValues() {
        return table.rejectedValues();
    }

    /**
     * Row of a switch, or -1 when the snapshot does not have it. On port rows the node GUID is also
     * found case-insensitively, and a {@code node_description} names the one switch that has it.
     */
    public int switchRow(String switchId) {
        int row = table.row(switchId);
        return row >= 0 || aliases == null ? row : aliases.row(switchId);
    }

    /** Column of a metric, or -1 when the snapshot does not have it. */
    public int metricColumn(String metric) {
        Integer column = metricIndex.get(metric);
        return column == null ? -1 : column;
    }

    public String switchId(int row) {
        return table.switchId(row);
    }

    /**
     * Switches whose row was damaged in the latest payload and who still show older values, with
     * the {@code sampledAt} of those values. Empty when none.
     */
    public Map<String, Instant> carriedOver() {
        return carriedOver;
    }

    /**
     * When the values shown for this switch were sampled: older than {@link #sampledAt()} if carried
     * over; on port rows the oldest of its ports' times.
     */
    public Instant sampledAt(String switchId) {
        if (switchMicros != null) {
            int row = switchRow(switchId);
            return row < 0 ? sampledAt : PortView.instant(switchMicros[row]);
        }
        return carriedOver.getOrDefault(switchId, sampledAt);
    }

    /** The ports of a snapshot of port rows (UFM Telemetry's layout); null on switch rows. */
    public @Nullable PortView ports() {
        return ports;
    }

    /** A switch's {@code node_description}, null when unknown (always on switch rows). */
    public @Nullable String description(int switchRow) {
        return ports == null ? null : ports.rows().descriptions[java.util.Objects.checkIndex(switchRow, switchCount())];
    }

    /**
     * True when a column's switch aggregate is the sum of its ports' values (a counter of
     * {@code METRICS_COUNTERS}, or a counter's rate), false when it is their maximum.
     */
    public boolean isSum(int column) {
        java.util.Objects.checkIndex(column, metrics.size());
        return column >= sumColumns.length || sumColumns[column];
    }

    /** How many of a switch's ports have a value in the column: what its aggregate is over (0 on switch rows). */
    public int aggregatedPorts(int switchRow, int column) {
        java.util.Objects.checkIndex(column, metrics.size());
        if (ports == null) {
            java.util.Objects.checkIndex(switchRow, switchCount());
            return 0;
        }
        int counted = 0;
        for (int p = ports.firstPort(switchRow); p < ports.endPort(switchRow); p++) {
            counted += ports.cellKind(p, column) == CellKind.NONE ? 0 : 1;
        }
        return counted;
    }

    /** The kind of a cell: a {@link CellKind}. A derived rate is a decimal, or no reading. */
    public byte cellKind(int row, int column) {
        if (column >= table.metrics().size()) {
            return Double.isNaN(rates.value(column - table.metrics().size(), row)) ? CellKind.NONE : CellKind.DECIMAL;
        }
        return table.kind(row, column);
    }

    /** The 64 bits of a cell: the integer, or the raw bits of the decimal's double (meaningless for no reading). */
    public long cellBits(int row, int column) {
        if (column >= table.metrics().size()) {
            double rate = rates.value(column - table.metrics().size(), row);
            return Double.isNaN(rate) ? 0 : Double.doubleToRawLongBits(rate);
        }
        return table.cell(row, column);
    }

    /** The values as parsed (and carried over), for the next table's builder. */
    Table table() {
        return table;
    }

    /** The derived rates, for the ListMetrics encoder. */
    CounterRates rates() {
        return rates;
    }

    long rawCell(int row, int column) {
        return table.cell(row, column);
    }

    byte rawKind(int row, int column) {
        return table.kind(row, column);
    }

    /**
     * Writes one cell as a JSON value, as bytes: an integer, a decimal (the text Jackson's
     * {@code writeNumber(double)} gives it), or {@code null} for no reading. The form the ListMetrics
     * encoder and the small answers use; {@code ValueTextTests} holds it to a generator's text.
     */
    public void writeValue(JsonOut out, int row, int column) {
        if (column >= table.metrics().size()) {
            rates.write(out, column - table.metrics().size(), row);
            return;
        }
        switch (table.kind(row, column)) {
            case CellKind.INTEGER -> out.number(table.cell(row, column));
            case CellKind.DECIMAL -> writeDecimal(out, Double.longBitsToDouble(table.cell(row, column)));
            default -> out.ascii("null");
        }
    }

    private static void writeDecimal(JsonOut out, double value) {
        long thousandths = Decimals.shortThousandths(value);
        if (thousandths == Decimals.NOT_SHORT) {
            out.ascii(NumberOutput.toString(value, true));
        } else {
            out.thousandths(thousandths);
        }
    }

    /**
     * Writes a value kept apart from its snapshot (a point of history: a {@link CellKind} and its
     * 64 bits) with the very text {@link #writeValue(JsonOut, int, int)} gives that cell, so that
     * every endpoint writes one double the same way. {@code rate}: the value is a derived
     * {@code <counter>_per_second}, whose whole thousandths are written in full
     * ({@code 12500000000.0}, where a generator's decimal is {@code 1.25E10}); a value that is no
     * whole number of thousandths (no rate is) is written as a decimal whatever {@code rate} says.
     */
    public static void writeValue(JsonOut out, byte kind, long bits, boolean rate) {
        switch (kind) {
            case CellKind.INTEGER -> out.number(bits);
            case CellKind.DECIMAL -> {
                double value = Double.longBitsToDouble(bits);
                if (rate && (Math.abs(value) >= 9.0e12 || Math.round(value * 1000) / 1000.0 == value)) {
                    CounterRates.write(out, value);
                } else {
                    writeDecimal(out, value);
                }
            }
            default -> out.ascii("null");
        }
    }

    /** True when a column of {@link #metrics()} is a derived {@code <counter>_per_second}, not a generator's. */
    public boolean isRate(int column) {
        return column >= table.metrics().size();
    }

    /** A cell as a double: NaN for no reading. (Integers beyond 2^53 lose precision, as in any float export.) */
    public double numericValue(int row, int column) {
        if (column >= table.metrics().size()) {
            return rates.value(column - table.metrics().size(), row);
        }
        return switch (table.kind(row, column)) {
            case CellKind.INTEGER -> table.cell(row, column);
            case CellKind.DECIMAL -> Double.longBitsToDouble(table.cell(row, column));
            default -> Double.NaN;
        };
    }

    /** How many bytes of the ListMetrics body are not the rates: what the next body's size is estimated from. */
    long listMetricsGeneratorBytes() {
        return listMetricsGeneratorBytes;
    }

    /** The encoded ListMetrics body, off the heap; each call returns an independent read-only view. */
    public ByteBuffer listMetricsBody() {
        return listMetricsJson.duplicate();
    }

    /**
     * The ListMetrics body gzipped, compressed at most once per snapshot (lazily: on the first
     * subscription, off the caller's thread), and shared by every request for this snapshot.
     */
    public Mono<byte[]> listMetricsGzip() {
        return listMetricsGzip;
    }

    /** A heap copy of the ListMetrics body (for gzip and tests; the API serves {@link #listMetricsBody()}). */
    public byte[] listMetricsJson() {
        return Bodies.toArray(listMetricsJson);
    }
}
