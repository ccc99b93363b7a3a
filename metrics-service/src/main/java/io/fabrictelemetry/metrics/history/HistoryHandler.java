package io.fabrictelemetry.metrics.history;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.body.JsonOut;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * GetMetricHistory: the kept points of one series, oldest first, then the current snapshot's
 * point if history does not have it yet (appending runs after publication, on its own thread).
 * Decodes one series from the compressed frames per request: no lock, no I/O.
 */
@Component
public class HistoryHandler implements DisposableBean {

    /** Threads that build aggregate series (CPU-bound): a share of the cores, never the event loop's. */
    static final int AGGREGATE_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

    private final SnapshotAnswers answers;
    private final HistoryRecorder recorder;
    private final String retention;
    private final Clock clock;
    /** Where a switch's aggregate series is built on port rows: a small scheduler of its own. */
    private final Scheduler aggregates;

    HistoryHandler(SnapshotAnswers answers, HistoryRecorder recorder, HistoryProperties properties, Clock clock) {
        this.aggregates = Schedulers.newParallel("history-aggregate", AGGREGATE_THREADS, true);
        this.answers = answers;
        this.recorder = recorder;
        this.retention = properties.enabled() ? properties.retention().toString() : Duration.ZERO.toString();
        this.clock = clock;
    }

    @Override
    public void destroy() {
        aggregates.dispose();
    }

    public Mono<ServerResponse> getMetricHistory(ServerRequest request) {
        Snapshot snapshot = answers.requireSnapshot();
        MultiValueMap<String, String> query = QueryParameters.queryParams(request);
        String switchName = QueryParameters.requiredParameter(query, "switch");
        String metric = QueryParameters.requiredParameter(query, "metric");
        int port = port(query);
        long now = clock.millis();
        long from = from(query, now);
        int row = snapshot.switchRow(switchName);
        // port rows: a GUID in any case or a node_description names the switch as the source wrote it
        String switchId = row >= 0 ? snapshot.switchId(row) : switchName;
        int column = snapshot.metricColumn(metric);
        if (row < 0 && !recorder.history().hasSwitch(switchId)) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "unknown-switch",
                    "switch '" + switchId + "' is neither in the current snapshot nor in the kept history");
        }
        PortView ports = snapshot.ports();
        int portRow = -1;
        if (port != NO_PORT) {
            portRow = ports == null || row < 0 || port < 0 ? -1 : ports.portRow(row, port);
            if (ports == null || portRow < 0 && (port < 0 || !recorder.history().hasPort(switchId, port))) {
                throw unknownPort(ports == null, switchId, query.getFirst("port"));
            }
        }
        if (column < 0 && !recorder.history().hasMetric(metric)) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "unknown-metric",
                    "metric '" + metric + "' is neither in the current snapshot nor in the kept history",
                    Map.of("validMetrics", snapshot.metrics()), HttpHeaders.EMPTY);
        }
        if (port == NO_PORT && ports != null) {
            // a switch's aggregate on port rows: its ports' series decoded and combined (milliseconds at
            // 200,000 ports), on a worker of its own, not the event loop
            int portRowFound = portRow;
            return Mono.defer(() -> answer(request, snapshot, row, switchId, port, portRowFound, metric, column, from))
                    .subscribeOn(aggregates);
        }
        return answer(request, snapshot, row, switchId, port, portRow, metric, column, from);
    }

    /** The answer to a checked request: the points, the body, its ETag, or the {@code 304}. */
    private Mono<ServerResponse> answer(ServerRequest request, Snapshot snapshot, int row, String switchId, int port,
            int portRow, String metric, int column, long from) {
        PortView ports = snapshot.ports();
        List<Point> points;
        if (port != NO_PORT) {
            points = new ArrayList<>(recorder.queryPort(switchId, port, metric, from));
            if (portRow >= 0 && column >= 0) {
                addCurrent(points, ports.sampledAt(portRow).toEpochMilli(), from, snapshot.sequence(),
                        ports.cellKind(portRow, column), ports.cellBits(portRow, column));
            }
        } else {
            points = new ArrayList<>(recorder.query(switchId, metric, from));
            if (row >= 0 && column >= 0) {
                addCurrent(points, snapshot.sampledAt(switchId).toEpochMilli(), from, snapshot.sequence(),
                        snapshot.cellKind(row, column), snapshot.cellBits(row, column));
            }
        }
        // written as GetMetric writes the cell: a rate's text differs from a decimal's (12500000000.0
        // where a decimal is 1.25E10); a metric gone from the snapshot is judged by its name
        boolean rate = column >= 0 ? snapshot.isRate(column) : metric.endsWith(Snapshot.RATE_SUFFIX);
        byte[] body = encode(snapshot, row, switchId, port, metric, column, points, rate);
        Instant newest = points.isEmpty()
                ? snapshot.sampledAt(switchId)
                : Instant.ofEpochMilli(points.get(points.size() - 1).sampledAtMillis());
        String etag = etag(snapshot, body);
        Mono<ServerResponse> notModified = answers.notModified(request, MediaType.APPLICATION_JSON, etag, newest);
        if (notModified != null) {
            return notModified;
        }
        return answers.send(answers.headers(HttpStatus.OK, MediaType.APPLICATION_JSON, etag, newest), body);
    }

    /** The current snapshot's point, when history does not have it yet (appending runs after publication). */
    private static void addCurrent(List<Point> points, long sampledAt, long from, long sequence, byte kind, long bits) {
        boolean newer = points.isEmpty() || points.get(points.size() - 1).sampledAtMillis() < sampledAt;
        if (newer && sampledAt >= from) {
            points.add(new Point(sampledAt, sequence, kind, bits));
        }
    }

    private static final int NO_PORT = -1;
    private static final int BEYOND_ANY_PORT = -2;

    /**
     * The optional {@code port}, read as GetMetric reads it: decimal digits ({@code 023} is 23);
     * anything else, the empty value included, is a {@code 400}; more than nine significant digits
     * name no port of any snapshot ({@link #BEYOND_ANY_PORT}, a {@code 404}).
     */
    private static int port(MultiValueMap<String, String> query) {
        List<String> values = query.get("port");
        if (values == null) {
            return NO_PORT;
        }
        String only = values.size() == 1 ? values.get(0) : null;
        // blank is no port number (400 invalid-parameter, as GetMetric); repeated or too long as any parameter
        String text = values.size() == 1 && (only == null || only.isBlank()) ? (only == null ? "" : only)
                : QueryParameters.requiredParameter(query, "port");
        int value = 0;
        int significant = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw invalidPort(text);
            }
            if (significant > 0 || c != '0') {
                significant++;
            }
            if (significant <= 9) {
                value = value * 10 + (c - '0');
            }
        }
        if (text.isEmpty()) {
            throw invalidPort(text);
        }
        return significant > 9 ? BEYOND_ANY_PORT : value;
    }

    private static ProblemException invalidPort(String text) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "query parameter 'port' must be a port number (decimal digits, e.g. 23), but was '" + shown(text) + "'");
    }

    private static ProblemException unknownPort(boolean switchRows, String switchId, @Nullable String port) {
        String shown = shown(port == null ? "" : port);
        return new ProblemException(HttpStatus.NOT_FOUND, "unknown-port", switchRows
                ? "port " + shown + " of switch '" + switchId + "': the current snapshot has switch rows, without"
                        + " ports; ask without 'port'"
                : "switch '" + switchId + "' has no port " + shown + " in the current snapshot nor in the kept history");
    }

    private static String shown(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "…";
    }

    /** The optional {@code since}: absent, the whole history; empty ("since=", "since"), invalid like any bad value. */
    private static long from(MultiValueMap<String, String> query, long nowMillis) {
        List<String> values = query.get("since");
        if (values == null) {
            return Long.MIN_VALUE;
        }
        if (values.size() == 1 && (values.get(0) == null || values.get(0).isBlank())) {
            return since("", nowMillis);
        }
        return since(QueryParameters.requiredParameter(query, "since"), nowMillis);
    }

    /** {@code since}: an ISO-8601 instant, or a duration back from now ({@code 30s}, {@code 5m}, {@code PT5M}). */
    static long since(String text, long nowMillis) {
        try {
            Matcher simple = SHORT_DURATION.matcher(text);
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                Duration back = switch (simple.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
                return nowMillis - back.toMillis();
            }
            if (text.startsWith("P") || text.startsWith("p")) {
                Duration back = Duration.parse(text);
                if (!back.isNegative()) {
                    return nowMillis - back.toMillis();
                }
            } else {
                return Instant.parse(text).toEpochMilli();
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // answered below
        }
        throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-parameter",
                "query parameter 'since' must be an ISO-8601 instant (2026-11-29T10:00:00Z) or a duration back "
                        + "from now (30s, 5m, 2h, PT5M), but was '" + text + "'");
    }

    /**
     * The body, written with the snapshot's own value writer, so that a number reads as in every
     * other answer. On port rows it names the port ({@code "port"}) or says how the switch's
     * aggregate is made ({@code "aggregate"}), and the switch's description when known, as GetMetric
     * does; on switch rows it is what it always was.
     */
    private byte[] encode(Snapshot snapshot, int row, String switchId, int port, String metric, int column,
            List<Point> points, boolean rate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + points.size() * 48);
        JsonOut json = new JsonOut(out, 160 + points.size() * 48).ascii("{\"switch\":").string(switchId);
        if (snapshot.ports() != null) {
            if (port != NO_PORT) {
                json.ascii(",\"port\":").number(port);
            }
            String description = row >= 0 ? snapshot.description(row) : null;
            if (description != null) {
                json.ascii(",\"description\":").string(description);
            }
            json.ascii(",\"metric\":").string(metric);
            if (port == NO_PORT) {
                boolean sum = column >= 0 ? snapshot.isSum(column) : recorder.history().isSum(metric);
                json.ascii(sum ? ",\"aggregate\":\"sum\"" : ",\"aggregate\":\"max\"");
            }
        } else {
            json.ascii(",\"metric\":").string(metric);
        }
        json.ascii(",\"retention\":").string(retention)
                .ascii(",\"points\":[");
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            json.ascii(i == 0 ? "{\"sampledAt\":\"" : ",{\"sampledAt\":\"")
                    .ascii(TimeFormat.iso(Instant.ofEpochMilli(point.sampledAtMillis())))
                    .ascii("\",\"value\":");
            Snapshot.writeValue(json, point.kind(), point.bits(), rate);
            json.ascii('}');
        }
        json.ascii("]}").flush();
        return out.toByteArray();
    }

    /**
     * A strong ETag of this very body: the snapshot's, plus a checksum of the points, which move
     * with history and with a relative {@code since} even while the snapshot stays.
     */
    private static String etag(Snapshot snapshot, byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return EntityTags.withSuffix(snapshot.etag(), "-h" + Long.toHexString(crc.getValue()));
    }
}
