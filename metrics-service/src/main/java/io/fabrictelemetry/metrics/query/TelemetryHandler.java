package io.fabrictelemetry.metrics.query;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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

    /** What a GetMetric body usually takes (a long switch ID or metric name grows the buffer). */
    private static final int METRIC_BODY_SIZE = 192;

    private final SnapshotAnswers answers;
    private final TopRanking ranking = new TopRanking();
    private final UnaryOperator<byte[]> compression;
    private final Function<ListMetricsFilter.Selection, ByteBuffer> encoding;

    @Autowired
    TelemetryHandler(SnapshotAnswers answers) {
        this(answers, Gzip::compress);
    }

    /** With the compression as a seam: tests see on which thread a body is compressed. */
    TelemetryHandler(SnapshotAnswers answers, UnaryOperator<byte[]> compression) {
        this(answers, compression, ListMetricsFilter.Selection::body);
    }

    /** With the encoding of a filtered body as a seam too: tests see on which thread it is encoded. */
    TelemetryHandler(SnapshotAnswers answers, UnaryOperator<byte[]> compression,
            Function<ListMetricsFilter.Selection, ByteBuffer> encoding) {
        this.answers = answers;
        this.compression = compression;
        this.encoding = encoding;
    }

    public Mono<ServerResponse> listMetrics(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        ListMetricsFilter filter = ListMetricsFilter.from(request);
        if (!filter.isUnfiltered()) {
            return filteredListMetrics(request, filter.select(snapshot));
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
     * A filtered ListMetrics: encoded per request (and compressed when asked), under the selection's
     * own ETag, checked before anything is encoded. Work in proportion to the body never runs on the
     * event loop beyond a small size: a body large in cells or in (estimated) bytes is encoded, and a
     * body large in bytes compressed, on a worker.
     */
    private Mono<ServerResponse> filteredListMetrics(ServerRequest request, ListMetricsFilter.Selection selection) {
        Snapshot snapshot = selection.snapshot();
        boolean gzip = AcceptEncoding.acceptsGzip(request);
        String etag = gzip ? gzipEtag(selection.etag()) : selection.etag();
        Mono<ServerResponse> notModified = answers.notModified(request, MediaType.APPLICATION_JSON, etag, snapshot.sampledAt(),
                HttpHeaders.ACCEPT_ENCODING);
        if (notModified != null) {
            return notModified;
        }
        boolean encodeInline = selection.cells() <= INLINE_ENCODING_CELLS
                && selection.estimatedBytes() <= INLINE_ENCODING_BYTES;
        if (!gzip && encodeInline) {
            return Mono.just(answers.answer(etag, snapshot.sampledAt(), () -> SnapshotAnswers.offHeap(encoding.apply(selection)))
                    .varying(HttpHeaders.ACCEPT_ENCODING, null));
        }
        Mono<ByteBuffer> body;
        if (encodeInline) { // and compressed: on the event loop only while the body is small in bytes
            body = Mono.fromSupplier(() -> encoding.apply(selection)).flatMap(plain -> {
                Mono<ByteBuffer> compressed = Mono.fromSupplier(() -> compress(plain));
                return compressesInline(plain.remaining()) ? compressed
                        : compressed.subscribeOn(Schedulers.boundedElastic());
            });
        } else {
            body = Mono.fromSupplier(() -> gzip ? compress(encoding.apply(selection)) : encoding.apply(selection))
                    .subscribeOn(Schedulers.boundedElastic());
        }
        return body.flatMap(bytes -> {
            ServerResponse.BodyBuilder response = answers.headers(HttpStatus.OK, MediaType.APPLICATION_JSON, etag,
                    snapshot.sampledAt()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            if (gzip) {
                response.header(HttpHeaders.CONTENT_ENCODING, "gzip");
            }
            return answers.send(response, bytes);
        });
    }

    private ByteBuffer compress(ByteBuffer body) {
        return ByteBuffer.wrap(compression.apply(Bodies.toArray(body)));
    }

    /** True when a body of this many bytes is compressed on the event loop: only a small one. */
    static boolean compressesInline(int bytes) {
        return bytes <= INLINE_GZIP_BYTES;
    }

    /** The ETag of the gzip-encoded variant of a representation: another representation, another tag. */
    private static String gzipEtag(String etag) {
        return EntityTags.withSuffix(etag, "-gzip");
    }

    public Mono<ServerResponse> getMetric(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        String rawQuery = request.uri().getRawQuery();
        String switchId = QueryParameters.requiredParameter(rawQuery, "switch");
        String metric = QueryParameters.requiredParameter(rawQuery, "metric");
        int row = snapshot.switchRow(switchId);
        if (row < 0) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "unknown-switch",
                    "switch '" + switchId + "' is not in the current snapshot");
        }
        int column = column(snapshot, metric);
        return Mono.just(TelemetryAnswer.written(MediaType.APPLICATION_JSON_VALUE, snapshot.etag(),
                answers.ageMs(snapshot.sampledAt(switchId)), buffers -> metricBody(buffers, snapshot, row, column, metric)));
    }

    /**
     * The switches with the highest (or lowest) values of a metric, from a ranking computed once per
     * snapshot, metric and order ({@link TopRanking}); same headers and ETag rules as GetMetric.
     */
    public Mono<ServerResponse> topSwitches(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        TopSwitchesQuery query = TopSwitchesQuery.parse(QueryParameters.queryParams(request));
        int column = column(snapshot, query.metric());
        int[] rows = ranking.rows(snapshot, column, query.descending());
        int count = Math.min(rows.length, query.limit());
        return Mono.just(answers.answer(snapshot.etag(), snapshot.sampledAt(), () -> {
            ByteBuf body = Unpooled.buffer(200 + count * 40);
            JsonOut json = new JsonOut(new ByteBufOutputStream(body), body.capacity())
                    .ascii("{\"metric\":").string(query.metric())
                    .ascii(",\"order\":").string(query.order())
                    .ascii(",\"limit\":").number(query.limit())
                    .ascii(",\"sequence\":").number(snapshot.sequence())
                    .ascii(",\"sampledAt\":\"").ascii(snapshot.sampledAtText())
                    .ascii("\",\"collectedAt\":\"").ascii(snapshot.collectedAtText())
                    .ascii("\",\"switches\":[");
            for (int i = 0; i < count; i++) {
                json.ascii(i == 0 ? "{\"switch\":" : ",{\"switch\":").string(snapshot.switchId(rows[i])).ascii(",\"value\":");
                snapshot.writeValue(json, rows[i], column);
                json.ascii('}');
            }
            json.ascii("]}").flush();
            return SnapshotAnswers.wrap(body);
        }));
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
