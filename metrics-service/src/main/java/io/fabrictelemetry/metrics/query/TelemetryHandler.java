package io.fabrictelemetry.metrics.query;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.zip.Deflater;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.metrics.api.AcceptEncoding;
import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.api.TelemetryAnswer;
import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.body.Gzip;
import io.fabrictelemetry.metrics.body.JsonOut;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The telemetry queries. Every request reads the current snapshot once and answers from it
 * ({@link SnapshotAnswers}): no network I/O, no lock, nothing blocking. ListMetrics serves a body
 * encoded once per snapshot, off the heap and without a copy; GetMetric encodes one small object. A matching {@code If-None-Match} gets {@code 304} from
 * Spring's conditional-request support, without the body.
 */
@Component
public class TelemetryHandler {

    /**
     * Filtered bodies up to this many values, and about {@link #INLINE_ENCODING_BYTES}, are encoded
     * on the event loop (tens of microseconds); larger ones on a worker.
     */
    static final long INLINE_ENCODING_CELLS = 20_000;
    /** The estimated size of a filtered body beyond which it is encoded off the event loop, whatever its cells. */
    static final long INLINE_ENCODING_BYTES = 1 << 20;
    /**
     * The size of a filtered body beyond which it is compressed off the event loop: gzip costs in
     * proportion to the bytes, which fewer cells than {@link #INLINE_ENCODING_CELLS} can make large
     * (switch IDs and metric names run to 256 characters).
     */
    static final int INLINE_GZIP_BYTES = 64 * 1024;
    /**
     * The same bound for a kept body, compressed at {@link #KEPT_GZIP_LEVEL}: about three times the
     * fastest level's cost a byte (1 ms for 84 KB), so a quarter of the bytes for the same time.
     */
    static final int INLINE_KEPT_GZIP_BYTES = 16 * 1024;

    /**
     * How many bytes of filtered ListMetrics bodies are kept for the current snapshot (off the heap):
     * about 390 one-switch bodies of 40 ports and 57 metrics (84 KB each), a few MB of switch rows'
     * selections. A body beyond it is encoded per request.
     */
    static final long KEPT_BODY_BYTES = 32L << 20;
    /** How many filtered ListMetrics bodies are kept for the current snapshot at most. */
    static final int KEPT_BODIES = 4096;

    /** How many bytes of TopSwitches and TopPorts bodies are kept for the current snapshot (a body of 1,000 ports: about 80 KB). */
    static final long KEPT_TOP_BYTES = 8L << 20;
    /**
     * Rankings of a fabric of up to this many rows (switches or ports) are computed on the event loop
     * (well under a millisecond); larger ones on a worker.
     */
    static final int INLINE_RANKING_ROWS = 20_000;

    /** What a GetMetric body usually takes (a long switch ID or metric name grows the buffer). */
    private static final int METRIC_BODY_SIZE = 192;
    /** What a port's or an aggregate's GetMetric body usually takes: a GUID, a description, more fields. */
    private static final int PORT_BODY_SIZE = 256;

    private final SnapshotAnswers answers;
    private final TopRanking ranking = new TopRanking();
    /** Filtered ListMetrics bodies, kept per snapshot: at most {@link #KEPT_BODY_BYTES} and {@link #KEPT_BODIES}. */
    private final SnapshotBodies<String> bodies = new SnapshotBodies<>(KEPT_BODY_BYTES, KEPT_BODIES);
    /** TopSwitches and TopPorts bodies, kept per snapshot: at most {@link #KEPT_TOP_BYTES} and {@link #KEPT_BODIES}. */
    private final SnapshotBodies<TopKey> topBodies = new SnapshotBodies<>(KEPT_TOP_BYTES, KEPT_BODIES);
    /** Filtered ListMetrics selections, kept per snapshot by raw query: at most {@link #KEPT_BODIES}. */
    private final SnapshotSelections selections = new SnapshotSelections(KEPT_BODIES);
    /** gzip of a filtered body compressed per request (not kept): the fastest level. */
    private final UnaryOperator<byte[]> compression;
    /**
     * gzip of a filtered body kept for its snapshot: compressed once, sent to every later request,
     * so a smaller body is worth a slower compression ({@link #KEPT_GZIP_LEVEL}).
     */
    private final UnaryOperator<byte[]> keptCompression;
    private final Function<ListMetricsFilter.Selection, ByteBuffer> encoding;

    /**
     * The {@link Deflater} level of kept gzip bodies: zlib's default. A one-switch body of 40 ports
     * (83.6 KB) gzips to 8.6 KB against 12.8 KB at the fastest level, for about 1 ms once per snapshot.
     */
    static final int KEPT_GZIP_LEVEL = Deflater.DEFAULT_COMPRESSION;

    @Autowired
    TelemetryHandler(SnapshotAnswers answers) {
        this(answers, Gzip::compress, body -> Gzip.compress(body, KEPT_GZIP_LEVEL), ListMetricsFilter.Selection::body);
    }

    /** With the compression as a seam (kept bodies' and others' alike): tests see on which thread a body is compressed. */
    TelemetryHandler(SnapshotAnswers answers, UnaryOperator<byte[]> compression) {
        this(answers, compression, ListMetricsFilter.Selection::body);
    }

    /** With the encoding of a filtered body as a seam too: tests see on which thread it is encoded. */
    TelemetryHandler(SnapshotAnswers answers, UnaryOperator<byte[]> compression,
            Function<ListMetricsFilter.Selection, ByteBuffer> encoding) {
        this(answers, compression, compression, encoding);
    }

    /** With kept bodies' compression a seam of its own: tests see where a kept body is compressed. */
    TelemetryHandler(SnapshotAnswers answers, UnaryOperator<byte[]> compression,
            UnaryOperator<byte[]> keptCompression, Function<ListMetricsFilter.Selection, ByteBuffer> encoding) {
        this.answers = answers;
        this.compression = compression;
        this.keptCompression = keptCompression;
        this.encoding = encoding;
    }

    public Mono<ServerResponse> listMetrics(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        String rawQuery = request.uri().getRawQuery();
        if (rawQuery != null) {
            // parsed, looked up and its ETags written once per snapshot and query (kept while they fit)
            SnapshotSelections.Selected selected = selections.get(snapshot, rawQuery, () -> select(request, snapshot));
            if (selected != null) {
                return filteredListMetrics(request, selected);
            }
        }
        if (!AcceptEncoding.acceptsGzip(request)) {
            return Mono.just(answers.answer(snapshot.etag(), snapshot.sampledAt(), () -> SnapshotAnswers.offHeap(snapshot.listMetricsBody()))
                    .varying(HttpHeaders.ACCEPT_ENCODING, null));
        }
        // another representation, so another strong ETag; a 304 never touches (or compresses) the body
        String etag = gzipEtag(snapshot.etag());
        Mono<ServerResponse> notModified = answers.notModified(request, MediaType.APPLICATION_JSON, etag, snapshot.sampledAt(),
                HttpHeaders.ACCEPT_ENCODING);
        if (notModified != null) {
            return notModified;
        }
        return snapshot.listMetricsGzip().flatMap(body -> answers.send(
                answers.headers(HttpStatus.OK, MediaType.APPLICATION_JSON, etag, snapshot.sampledAt())
                        .header(HttpHeaders.CONTENT_ENCODING, "gzip")
                        .header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING), body));
    }

    /**
     * A filtered ListMetrics, under the selection's own ETag, checked before anything is encoded.
     * Its body is encoded (and compressed when asked) once per snapshot and representation, on the
     * first request, and kept for the others ({@link #bodies}, bounded); a body that does not fit
     * there is encoded per request. Work in proportion to the body never runs on the event loop
     * beyond a small size: a body large in cells or in (estimated) bytes is encoded, and a body large
     * in bytes compressed, on a worker.
     */
    private Mono<ServerResponse> filteredListMetrics(ServerRequest request, SnapshotSelections.Selected selected) {
        ListMetricsFilter.Selection selection = selected.selection();
        Snapshot snapshot = selection.snapshot();
        boolean gzip = AcceptEncoding.acceptsGzip(request);
        String etag = gzip ? selected.gzipEtag() : selected.etag();
        Mono<ServerResponse> notModified = answers.notModified(request, MediaType.APPLICATION_JSON, etag, snapshot.sampledAt(),
                HttpHeaders.ACCEPT_ENCODING);
        if (notModified != null) {
            return notModified;
        }
        // the ETag names the representation within its snapshot: the key of its kept body
        SnapshotBodies.Body kept = bodies.get(snapshot, etag, selection::estimatedBytes,
                () -> encoded(selection, gzip, true));
        if (kept != null) {
            ByteBuffer ready = kept.ready();
            if (ready != null) {
                return Mono.just(answers.answer(etag, snapshot.sampledAt(), () -> SnapshotAnswers.offHeap(ready))
                        .varying(HttpHeaders.ACCEPT_ENCODING, gzip ? "gzip" : null));
            }
            return kept.body().flatMap(bytes -> sendFiltered(snapshot, etag, gzip, bytes));
        }
        if (!gzip && encodesInline(selection)) {
            return Mono.just(answers.answer(etag, snapshot.sampledAt(), () -> SnapshotAnswers.offHeap(encoding.apply(selection)))
                    .varying(HttpHeaders.ACCEPT_ENCODING, null));
        }
        return encoded(selection, gzip, false).flatMap(bytes -> sendFiltered(snapshot, etag, gzip, bytes));
    }

    private Mono<ServerResponse> sendFiltered(Snapshot snapshot, String etag, boolean gzip, ByteBuffer bytes) {
        ServerResponse.BodyBuilder response = answers.headers(HttpStatus.OK, MediaType.APPLICATION_JSON, etag,
                snapshot.sampledAt()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        if (gzip) {
            response.header(HttpHeaders.CONTENT_ENCODING, "gzip");
        }
        return answers.send(response, bytes);
    }

    /**
     * What a request's query selects in {@code snapshot}, with its ETags; {@code null} when it selects
     * the whole snapshot. The {@code 400} and {@code 404} problems of a bad query are thrown.
     */
    private static SnapshotSelections.@Nullable Selected select(ServerRequest request, Snapshot snapshot) {
        ListMetricsFilter filter = ListMetricsFilter.from(request);
        if (filter.isUnfiltered()) {
            return null;
        }
        ListMetricsFilter.Selection selection = filter.select(snapshot);
        String etag = selection.etag();
        return new SnapshotSelections.Selected(selection, etag, gzipEtag(etag));
    }

    /** True when a selection is small enough, in cells and in estimated bytes, to be encoded on the event loop. */
    private static boolean encodesInline(ListMetricsFilter.Selection selection) {
        return selection.cells() <= INLINE_ENCODING_CELLS && selection.estimatedBytes() <= INLINE_ENCODING_BYTES;
    }

    /**
     * A selection's body, encoded (and compressed) when subscribed: on the subscriber's thread while
     * it is small, on a worker when it is large in cells or estimated bytes (compressed on a worker
     * when large in bytes).
     */
    private Mono<ByteBuffer> encoded(ListMetricsFilter.Selection selection, boolean gzip, boolean kept) {
        UnaryOperator<byte[]> gzipper = kept ? keptCompression : compression;
        if (encodesInline(selection)) {
            Mono<ByteBuffer> plain = Mono.fromSupplier(() -> encoding.apply(selection));
            if (!gzip) {
                return plain;
            }
            // compressed on the event loop only while the body is small in bytes
            return plain.flatMap(body -> {
                Mono<ByteBuffer> compressed = Mono.fromSupplier(() -> compress(body, gzipper));
                return compressesInline(body.remaining(), kept) ? compressed
                        : compressed.subscribeOn(Schedulers.boundedElastic());
            });
        }
        return Mono.fromSupplier(() -> gzip ? compress(encoding.apply(selection), gzipper) : encoding.apply(selection))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static ByteBuffer compress(ByteBuffer body, UnaryOperator<byte[]> gzipper) {
        return ByteBuffer.wrap(gzipper.apply(Bodies.toArray(body)));
    }

    /** True when a body of this many bytes is compressed on the event loop: only a small one. */
    static boolean compressesInline(int bytes, boolean kept) {
        return bytes <= (kept ? INLINE_KEPT_GZIP_BYTES : INLINE_GZIP_BYTES);
    }

    /** The ETag of the gzip-encoded variant of a representation: another representation, another tag. */
    private static String gzipEtag(String etag) {
        return EntityTags.withSuffix(etag, "-gzip");
    }

    public Mono<ServerResponse> getMetric(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        String rawQuery = request.uri().getRawQuery();
        String switchName = QueryParameters.requiredParameter(rawQuery, "switch");
        String metric = QueryParameters.requiredParameter(rawQuery, "metric");
        String portText = QueryParameters.optionalParameter(rawQuery, "port");
        int port = PortParameter.parse(portText);
        int row = snapshot.switchRow(switchName);
        if (row < 0) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "unknown-switch",
                    "switch '" + switchName + "' is not in the current snapshot");
        }
        int column = column(snapshot, metric);
        PortView ports = snapshot.ports();
        if (port != PortParameter.ABSENT) {
            int portRow = ports == null || port < 0 ? -1 : ports.portRow(row, port);
            if (portRow < 0) {
                throw unknownPort(snapshot, row, portText);
            }
            return Mono.just(TelemetryAnswer.written(MediaType.APPLICATION_JSON_VALUE, snapshot.etag(),
                    answers.ageMs(ports.sampledAt(portRow)),
                    buffers -> portBody(buffers, snapshot, ports, portRow, column, metric)));
        }
        String switchId = snapshot.switchId(row);
        return Mono.just(TelemetryAnswer.written(MediaType.APPLICATION_JSON_VALUE, snapshot.etag(),
                answers.ageMs(snapshot.sampledAt(switchId)), ports == null
                        ? buffers -> metricBody(buffers, snapshot, row, column, metric)
                        : buffers -> aggregateBody(buffers, snapshot, row, column, metric)));
    }

    private static ProblemException unknownPort(Snapshot snapshot, int row, String port) {
        String shown = port.length() <= 32 ? port : port.substring(0, 32) + "…";
        String switchId = snapshot.switchId(row);
        return new ProblemException(HttpStatus.NOT_FOUND, "unknown-port", snapshot.ports() == null
                ? "port " + shown + " of switch '" + switchId + "': the current snapshot has switch rows, without"
                        + " ports; ask without 'port'"
                : "switch '" + switchId + "' has no port " + shown + " in the current snapshot");
    }

    /**
     * The switches with the highest (or lowest) values of a metric, from a ranking computed once per
     * snapshot, metric and order ({@link TopRanking}); same headers and ETag rules as GetMetric. On
     * port rows a switch's value is its aggregate. The body is encoded once per snapshot and query
     * ({@link #topBodies}).
     */
    public Mono<ServerResponse> topSwitches(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        TopSwitchesQuery query = TopSwitchesQuery.parse(request.uri().getRawQuery());
        int column = column(snapshot, query.metric());
        return top(snapshot, query, null, column);
    }

    /**
     * The ports with the highest (or lowest) values of a metric, across the fabric: as TopSwitches,
     * from a ranking computed once per snapshot, metric and order, and a body encoded once per
     * snapshot and query. A snapshot of switch rows has no ports: {@code 404} {@code …:no-ports}.
     */
    public Mono<ServerResponse> topPorts(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        TopSwitchesQuery query = TopSwitchesQuery.parse(request.uri().getRawQuery());
        PortView ports = snapshot.ports();
        if (ports == null) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "no-ports", "the current snapshot has switch rows,"
                    + " without ports: TopPorts ranks ports (TopSwitches ranks switches)");
        }
        int column = column(snapshot, query.metric());
        return top(snapshot, query, ports, column);
    }

    /** What a TopSwitches or TopPorts body is kept under, within its snapshot: everything it is written from. */
    private record TopKey(boolean ports, String metric, boolean descending, int limit) {
    }

    /**
     * A TopSwitches ({@code ports} null) or TopPorts answer: its body kept per snapshot and query
     * once encoded, served as it is; encoded on a worker when its ranking may be the first of a
     * large fabric ({@link #INLINE_RANKING_ROWS}).
     */
    private Mono<ServerResponse> top(Snapshot snapshot, TopSwitchesQuery query, @Nullable PortView ports, int column) {
        TopKey key = new TopKey(ports != null, query.metric(), query.descending(), query.limit());
        SnapshotBodies.Body kept = topBodies.get(snapshot, key, () -> estimatedTopBytes(snapshot, query, ports),
                () -> topBody(snapshot, query, ports, column));
        if (kept != null) {
            ByteBuffer ready = kept.ready();
            if (ready != null) {
                return Mono.just(topAnswer(snapshot, ready));
            }
            return kept.body().map(body -> topAnswer(snapshot, body));
        }
        return topBody(snapshot, query, ports, column).map(body -> topAnswer(snapshot, body));
    }

    /** How many TopSwitches and TopPorts bodies the current snapshot keeps; for tests. */
    int keptTopBodies() {
        return topBodies.keptBodies();
    }

    /** How many filtered ListMetrics bodies the current snapshot keeps; for tests. */
    int keptListMetricsBodies() {
        return bodies.keptBodies();
    }

    private TelemetryAnswer topAnswer(Snapshot snapshot, ByteBuffer body) {
        return answers.answer(snapshot.etag(), snapshot.sampledAt(), () -> SnapshotAnswers.offHeap(body));
    }

    private static long estimatedTopBytes(Snapshot snapshot, TopSwitchesQuery query, @Nullable PortView ports) {
        return 200L + query.limit() * (ports == null && snapshot.ports() == null ? 40L : 80L);
    }

    /**
     * A TopSwitches or TopPorts body, encoded when subscribed: on the subscriber's thread when the
     * fabric is small, else on a worker (the first request for a snapshot, metric and order ranks
     * the whole fabric: 200,000 ports).
     */
    private Mono<ByteBuffer> topBody(Snapshot snapshot, TopSwitchesQuery query, @Nullable PortView ports, int column) {
        Mono<ByteBuffer> body = Mono.fromSupplier(() -> ports == null
                ? switchesBody(snapshot, query, column) : portsBody(snapshot, ports, query, column));
        long ranked = ports == null ? snapshot.switchCount() : ports.portCount();
        return ranked <= INLINE_RANKING_ROWS ? body : body.subscribeOn(Schedulers.boundedElastic());
    }

    private ByteBuffer switchesBody(Snapshot snapshot, TopSwitchesQuery query, int column) {
        int[] rows = ranking.rows(snapshot, column, query.descending());
        int count = Math.min(rows.length, query.limit());
        ByteBuf body = Unpooled.buffer(200 + count * (snapshot.ports() == null ? 40 : 80));
        JsonOut json = top(body, snapshot, query).ascii("\",\"switches\":[");
        for (int i = 0; i < count; i++) {
            json.ascii(i == 0 ? "{\"switch\":" : ",{\"switch\":").string(snapshot.switchId(rows[i]));
            // on port rows the switch's node_description, as TopPorts and GetMetric name it
            String description = snapshot.description(rows[i]);
            if (description != null) {
                json.ascii(",\"description\":").string(description);
            }
            json.ascii(",\"value\":");
            snapshot.writeValue(json, rows[i], column);
            json.ascii('}');
        }
        json.ascii("]}").flush();
        return body.nioBuffer();
    }

    private ByteBuffer portsBody(Snapshot snapshot, PortView ports, TopSwitchesQuery query, int column) {
        int[] portRows = ranking.portRows(snapshot, ports, column, query.descending());
        int count = Math.min(portRows.length, query.limit());
        ByteBuf body = Unpooled.buffer(200 + count * 80);
        JsonOut json = top(body, snapshot, query).ascii("\",\"ports\":[");
        for (int i = 0; i < count; i++) {
            int portRow = portRows[i];
            int row = ports.switchRowOf(portRow);
            json.ascii(i == 0 ? "{\"switch\":" : ",{\"switch\":").string(snapshot.switchId(row))
                    .ascii(",\"port\":").number(ports.portNumber(portRow));
            String description = snapshot.description(row);
            if (description != null) {
                json.ascii(",\"description\":").string(description);
            }
            json.ascii(",\"value\":");
            ports.writeValue(json, portRow, column);
            json.ascii('}');
        }
        json.ascii("]}").flush();
        return body.nioBuffer();
    }

    /** What TopSwitches and TopPorts start with, up to the list's name (its quote still open). */
    private static JsonOut top(ByteBuf body, Snapshot snapshot, TopSwitchesQuery query) {
        return new JsonOut(new ByteBufOutputStream(body), body.capacity())
                .ascii("{\"metric\":").string(query.metric())
                .ascii(",\"order\":").string(query.order())
                .ascii(",\"limit\":").number(query.limit())
                .ascii(",\"sequence\":").number(snapshot.sequence())
                .ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText())
                .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText());
    }

    /** Column of a metric; an unknown one is a 404 problem listing the valid metrics. */
    private static int column(Snapshot snapshot, String metric) {
        int column = snapshot.metricColumn(metric);
        if (column < 0) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "unknown-metric",
                    "metric '" + metric + "' is not in the current snapshot",
                    Map.of("validMetrics", snapshot.metrics()), HttpHeaders.EMPTY);
        }
        return column;
    }

    /**
     * GetMetric's body for a switch's aggregate over its ports: the switch's body plus its
     * description (when known), how its ports were aggregated and how many had a value, all read
     * from the snapshot as they are (no pass over the ports).
     */
    static DataBuffer aggregateBody(DataBufferFactory buffers, Snapshot snapshot, int row, int column, String metric) {
        String switchId = snapshot.switchId(row);
        String description = snapshot.description(row);
        DataBuffer body = buffers.allocateBuffer(PORT_BODY_SIZE);
        try {
            JsonOut json = new JsonOut(body.asOutputStream(), PORT_BODY_SIZE).ascii("{\"switch\":").string(switchId);
            if (description != null) {
                json.ascii(",\"description\":").string(description);
            }
            json.ascii(",\"metric\":").string(metric).ascii(",\"value\":");
            snapshot.writeValue(json, row, column);
            json.ascii(snapshot.isSum(column) ? ",\"aggregate\":\"sum\",\"ports\":" : ",\"aggregate\":\"max\",\"ports\":")
                    .number(snapshot.aggregatedPorts(row, column))
                    // the oldest of its ports' times: the aggregate is no fresher than its oldest part
                    .ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText(switchId))
                    .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                    .ascii("\"}")
                    .flush();
            return body;
        } catch (RuntimeException e) {
            DataBufferUtils.release(body);
            throw e;
        }
    }

    /** GetMetric's body for one port: its own value and its own row's {@code sampledAt}. */
    static DataBuffer portBody(DataBufferFactory buffers, Snapshot snapshot, PortView ports, int portRow, int column,
            String metric) {
        int row = ports.switchRowOf(portRow);
        String description = snapshot.description(row);
        DataBuffer body = buffers.allocateBuffer(PORT_BODY_SIZE);
        try {
            JsonOut json = new JsonOut(body.asOutputStream(), PORT_BODY_SIZE)
                    .ascii("{\"switch\":").string(snapshot.switchId(row))
                    .ascii(",\"port\":").number(ports.portNumber(portRow));
            if (description != null) {
                json.ascii(",\"description\":").string(description);
            }
            json.ascii(",\"metric\":").string(metric).ascii(",\"value\":");
            ports.writeValue(json, portRow, column);
            json.ascii(",\"sampledAt\":\"").ascii(ports.sampledAtText(portRow))
                    .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                    .ascii("\"}")
                    .flush();
            return body;
        } catch (RuntimeException e) {
            DataBufferUtils.release(body);
            throw e;
        }
    }

    /**
     * GetMetric's body, written as bytes with the ListMetrics encoder's own value writer, into a buffer
     * of the response's factory (released if writing fails).
     */
    static DataBuffer metricBody(DataBufferFactory buffers, Snapshot snapshot, int row, int column, String metric) {
        String switchId = snapshot.switchId(row);
        DataBuffer body = buffers.allocateBuffer(METRIC_BODY_SIZE);
        try {
            JsonOut json = new JsonOut(body.asOutputStream(), METRIC_BODY_SIZE)
                    .ascii("{\"switch\":").string(switchId)
                    .ascii(",\"metric\":").string(metric)
                    .ascii(",\"value\":");
            snapshot.writeValue(json, row, column);
            // a carried-over switch shows older values, and says so
            json.ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText(switchId))
                    .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                    .ascii("\"}")
                    .flush();
            return body;
        } catch (RuntimeException e) {
            DataBufferUtils.release(body);
            throw e;
        }
    }
}
