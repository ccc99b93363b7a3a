package io.fabrictelemetry.metrics.api.docs;

import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.arrayschema.Builder.arraySchemaBuilder;
import static org.springdoc.core.fn.builders.content.Builder.contentBuilder;
import static org.springdoc.core.fn.builders.header.Builder.headerBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springdoc.core.fn.builders.operation.Builder;

import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.api.TelemetryAnswer;
import io.fabrictelemetry.metrics.api.TelemetryRouter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.enums.ParameterStyle;

/**
 * The OpenAPI description of each telemetry operation, given to {@link TelemetryRouter} beside the
 * route it describes; springdoc turns them into {@code /v3/api-docs}. The shared pieces (body
 * schemas, response headers) are components declared once in {@link OpenApiConfiguration}.
 *
 * <p>Adding an endpoint: route it with {@code SpringdocRouteBuilder} and a description built here
 * (every status it can answer, every header); the contract test ({@code OpenApiContractTests} and the
 * check every WebTestClient exchange goes through) fails for an undocumented route, status or header.
 */
public final class ApiDocs {

    static final String TAG = "telemetry";
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    /** Response headers, declared in {@link OpenApiConfiguration#headers()}. */
    static final String ETAG = "ETag";
    static final String DATA_AGE = TelemetryAnswer.DATA_AGE;
    static final String CACHE_CONTROL = "Cache-Control";
    static final String VARY = "Vary";
    static final String CONTENT_ENCODING = "Content-Encoding";
    static final String RETRY_AFTER = "Retry-After";
    static final String REQUEST_ID = "X-Request-Id";
    static final String ALLOW = "Allow";
    static final String ACCEL_BUFFERING = "X-Accel-Buffering";

    private static final String[] SNAPSHOT_HEADERS = {ETAG, DATA_AGE, CACHE_CONTROL, REQUEST_ID};

    private ApiDocs() {
    }

    public static Consumer<Builder> getMetric(boolean head) {
        return operation -> fromSnapshot(
                oneSeries(described(operation, head, "getMetric", "GetMetric's headers, without the body",
                "One metric of one switch, or of one of its ports",
                "The value of `metric` for `switch` in the current snapshot, with the times of"
                        + " its reading. A switch whose row was damaged in the latest payload answers with its"
                        + " previous value and that older `sampledAt` (and data age). On port rows (UFM"
                        + " Telemetry's layout): with `port`, that port's value and its own `sampledAt`; without,"
                        + " the switch's aggregate over its ports (`aggregate`: `sum` for counters and their"
                        + " `_per_second` rates, `max` for every other metric; `ports`: how many had a value;"
                        + " `sampledAt` the oldest of theirs), with `description` when the source names the"
                        + " switch. `switch` takes the node GUID in any case or a `node_description` that"
                        + " names one switch; the answer names the switch by its GUID as the source wrote it."),
                "Switch ID, e.g. `sw-0001`; on port rows the node GUID (any case) or a unique `node_description`")
                .parameter(parameterBuilder().in(ParameterIn.QUERY).name("port")
                        .description("Port number (decimal digits), on port rows: that port's value instead of"
                                + " the switch's aggregate")
                        .schema(schemaBuilder().type("integer").minimum("0"))),
                head, JSON, "MetricValue", "The value and its times")
                .response(problem(head, "400", "`switch` or `metric` missing, blank, repeated or longer than 256"
                        + " characters (`…:missing-parameter`, `…:repeated-parameter`, `…:parameter-too-long`);"
                        + " `port` repeated or too long (the same), or not a port number (`…:invalid-parameter`);"
                        + " a query that is not valid percent-encoded UTF-8 (`…:invalid-query`)"))
                .response(problem(head, "404", "Unknown switch (`…:unknown-switch`) or metric (`…:unknown-metric`,"
                        + " with `validMetrics`) in the current snapshot; a `port` the switch does not have, or"
                        + " any `port` on a snapshot of switch rows (`…:unknown-port`)"))
                .response(noDataYet(head));
    }

    public static Consumer<Builder> listMetrics(boolean head) {
        return operation -> described(operation, head, "listMetrics", "ListMetrics' headers, without the body",
                "Every metric of every switch, or a selection",
                "The current snapshot: metrics and switches in the generator's order, a missing"
                        + " reading as `null`. On port rows `switches` holds each switch's aggregates, `ports`"
                        + " each port's values and `descriptions` the switches' names. With `switch` and/or"
                        + " `metric` only the named ones (in `switches`, `ports` and `descriptions` alike), still"
                        + " in the generator's order, under their own strong ETag. With `Accept-Encoding: gzip`"
                        + " the body is gzip-compressed (its own ETag again).")
                .parameter(names("switch", "Switches to include (repeat the parameter or separate with commas);"
                        + " all when absent. On port rows a GUID in any case, or a unique `node_description`"))
                .parameter(names("metric", "Metrics to include (repeat the parameter or separate with commas);"
                        + " all when absent"))
                .parameter(ports())
                .parameter(ifNoneMatch())
                .parameter(parameterBuilder().in(ParameterIn.HEADER).name("Accept-Encoding")
                        .description("`gzip` (without `q=0`) for a compressed body").schema(schemaBuilder().type("string")))
                .parameter(requestId())
                .response(ok(head, JSON, "ListMetrics", "The snapshot, or the selected part of it",
                        ETAG, DATA_AGE, CACHE_CONTROL, VARY, CONTENT_ENCODING, REQUEST_ID))
                .response(notModified(ETAG, DATA_AGE, CACHE_CONTROL, VARY, REQUEST_ID))
                .response(problem(head, "400", "An empty name in `switch` or `metric` (`…:missing-parameter`),"
                        + " a name longer than 256 characters (`…:parameter-too-long`), `ports` other than `true` or"
                        + " `false` (`…:invalid-parameter`), a query that is not valid"
                        + " percent-encoded UTF-8 (`…:invalid-query`)"))
                .response(problem(head, "404", "A switch (`…:unknown-switch`) or metric (`…:unknown-metric`,"
                        + " with `validMetrics`) that is not in the current snapshot"))
                .response(noDataYet(head));
    }

    public static Consumer<Builder> topSwitches(boolean head) {
        return operation -> fromSnapshot(
                described(operation, head, "topSwitches", "TopSwitches' headers, without the body",
                "The switches with the highest or lowest values of a metric",
                "Switches without a reading are never listed; equal values keep the generator's"
                        + " order. The ranking is computed once per snapshot, metric and order.")
                .parameter(name("metric", "Metric to rank by, e.g. `latency_us`", true))
                .parameter(parameterBuilder().in(ParameterIn.QUERY).name("limit").description("How many switches")
                        .schema(schemaBuilder().type("integer").minimum("1").maximum("1000").defaultValue("10")))
                .parameter(parameterBuilder().in(ParameterIn.QUERY).name("order")
                        .description("`desc`: highest first; `asc`: lowest first")
                        .schema(schemaBuilder().type("string").allowableValues(new String[] {"desc", "asc"})
                                .defaultValue("desc"))),
                head, JSON, "TopSwitches", "The ranked switches")
                .response(problem(head, "400", "`metric` missing or blank (`…:missing-parameter`), a parameter given"
                        + " twice (`…:repeated-parameter`) or too long (`…:parameter-too-long`), `limit` or `order`"
                        + " out of range (`…:invalid-parameter`), a query that is not valid percent-encoded UTF-8"
                        + " (`…:invalid-query`)"))
                .response(problem(head, "404", "A metric that is not in the current snapshot (`…:unknown-metric`,"
                        + " with `validMetrics`)"))
                .response(noDataYet(head));
    }

    public static Consumer<Builder> topPorts(boolean head) {
        return operation -> fromSnapshot(
                described(operation, head, "topPorts", "TopPorts' headers, without the body",
                "The ports with the highest or lowest values of a metric, across the fabric",
                "On port rows (UFM Telemetry's layout). Ports without a reading are never listed; equal"
                        + " values keep the source's order (switch by switch, ports in source order). The"
                        + " ranking is computed once per snapshot, metric and order.")
                .parameter(name("metric", "Metric to rank by, e.g. `Infiniband_SymbolErrors_u_Errors`", true))
                .parameter(parameterBuilder().in(ParameterIn.QUERY).name("limit").description("How many ports")
                        .schema(schemaBuilder().type("integer").minimum("1").maximum("1000").defaultValue("10")))
                .parameter(parameterBuilder().in(ParameterIn.QUERY).name("order")
                        .description("`desc`: highest first; `asc`: lowest first")
                        .schema(schemaBuilder().type("string").allowableValues(new String[] {"desc", "asc"})
                                .defaultValue("desc"))),
                head, JSON, "TopPorts", "The ranked ports")
                .response(problem(head, "400", "`metric` missing or blank (`…:missing-parameter`), a parameter given"
                        + " twice (`…:repeated-parameter`) or too long (`…:parameter-too-long`), `limit` or `order`"
                        + " out of range (`…:invalid-parameter`), a query that is not valid percent-encoded UTF-8"
                        + " (`…:invalid-query`)"))
                .response(problem(head, "404", "A snapshot of switch rows, which has no ports (`…:no-ports`); a"
                        + " metric that is not in the current snapshot (`…:unknown-metric`, with `validMetrics`)"))
                .response(noDataYet(head));
    }

    public static Consumer<Builder> getMetricHistory(boolean head) {
        return operation -> fromSnapshot(
                oneSeries(described(operation, head, "getMetricHistory", "GetMetricHistory's headers, without the body",
                "What one series did over the kept history",
                "One point per distinct accepted snapshot in which the switch had a reading, oldest"
                        + " first; the last point is the current snapshot's. Kept for `HISTORY_RETENTION` within"
                        + " `HISTORY_MAX_BYTES`. The ETag covers the points: a `304` means nothing changed. On port"
                        + " rows: with `port` that port's series, at its own sample times; without it the switch"
                        + " aggregate's series, derived from its ports' history as the snapshot's aggregates are"
                        + " (`aggregate`: `sum` or `max`). Rates are derived from the counters' history when asked"
                        + " for, from the second kept snapshot on."),
                "Switch ID, e.g. `sw-0001`; on port rows the node GUID (any case) or a unique `node_description`")
                .parameter(parameterBuilder().in(ParameterIn.QUERY).name("port")
                        .description("Port number (decimal digits), on port rows: that port's series instead of"
                                + " the switch aggregate's")
                        .schema(schemaBuilder().type("integer").minimum("0")))
                .parameter(parameterBuilder().in(ParameterIn.QUERY).name("since")
                        .description("An ISO-8601 instant (`2026-11-29T10:00:00Z`) or a duration back from now (`30s`,"
                                + " `5m`, `2h`, `PT5M`); the whole retention when absent")
                        .schema(schemaBuilder().type("string"))),
                head, JSON, "MetricHistory", "The points, oldest first")
                .response(problem(head, "400", "`switch` or `metric` missing, blank, repeated or too long (as"
                        + " GetMetric), `port` repeated or too long (the same) or not a port number, `since` neither"
                        + " an instant nor a duration (`…:invalid-parameter`), a query that is not valid"
                        + " percent-encoded UTF-8 (`…:invalid-query`)"))
                .response(problem(head, "404", "A switch (`…:unknown-switch`) or metric (`…:unknown-metric`, with"
                        + " `validMetrics`) neither in the current snapshot nor in the kept history; a `port` the"
                        + " switch has in neither, or any `port` while the snapshot has switch rows (`…:unknown-port`)"))
                .response(noDataYet(head));
    }

    public static Consumer<Builder> stream(boolean head) {
        return operation -> described(operation, head, "stream", "Checks a stream's filter without opening it",
                "Server-Sent Events of every published snapshot",
                "On connect the current snapshot, then one event per newly published snapshot:"
                        + " `event: snapshot`, `id: <sequence>`, `data: <ListMetrics JSON on one line>`; a comment"
                        + " `: keepalive` after `STREAM_KEEPALIVE` without an event. `switch`/`metric` filter as"
                        + " ListMetrics and are checked before the stream starts. A client that falls behind skips"
                        + " to the latest snapshot.")
                .parameter(names("switch", "Switches to include (repeat the parameter or separate with commas);"
                        + " all when absent"))
                .parameter(names("metric", "Metrics to include (repeat the parameter or separate with commas);"
                        + " all when absent"))
                .parameter(ports())
                .parameter(requestId())
                .response(ok(head, "text/event-stream", null, "The event stream (never ends while the service runs)",
                        head ? new String[] {CACHE_CONTROL, REQUEST_ID}
                                : new String[] {CACHE_CONTROL, ACCEL_BUFFERING, REQUEST_ID}))
                .response(problem(head, "400", "An empty or over-long name in `switch` or `metric`"
                        + " (`…:missing-parameter`, `…:parameter-too-long`), `ports` other than `true` or `false`"
                        + " (`…:invalid-parameter`), a query that is not valid"
                        + " percent-encoded UTF-8 (`…:invalid-query`)"))
                .response(problem(head, "404", "A switch (`…:unknown-switch`) or metric (`…:unknown-metric`,"
                        + " with `validMetrics`) that is not in the current snapshot"))
                .response(problem(head, "503", head
                        // HEAD opens no stream: it checks the filter only (StreamHandler.head)
                        ? "A filter before the first snapshot (`…:no-data-yet`), with `Retry-After`, saying when"
                                + " to try again"
                        : "A filter before the first snapshot, or the service still starting"
                        + " (`…:no-data-yet`); `STREAM_MAX_CLIENTS` streams already open (`…:too-many-streams`);"
                        + " both with `Retry-After`, saying when to try again. The service shutting down"
                        + " (`…:shutting-down`, no `Retry-After`)").header(header(RETRY_AFTER)));
    }

    public static Consumer<Builder> prometheus(boolean head) {
        return operation -> fromSnapshot(
                described(operation, head, "prometheus", "The fabric export's headers, without the body",
                "The fabric in the Prometheus text format",
                "Every value of the current snapshot as a series with a `switch` label (`null`"
                        + " readings left out), for a Prometheus scrape; encoded at most once per snapshot."
                        + " On port rows (UFM Telemetry's layout) one series per port instead, labelled `switch`"
                        + " (the node GUID), `port` and `description` (when known), the columns named by the"
                        + " README's rule (`Infiniband_SymbolErrors_u_Errors` →"
                        + " `fabric_port_infiniband_symbol_errors_total`), switch aggregates not exported; sent"
                        + " gzip-encoded (`Content-Encoding: gzip`, an ETag of its own, `Vary: Accept-Encoding`)"
                        + " to a client that accepts gzip."),
                head, "text/plain; version=0.0.4", null, "The Prometheus text exposition format 0.0.4")
                .response(noDataYet(head));
    }

    /** What every operation starts with: its ID ({@code head…} for HEAD), tag, summary and description. */
    private static Builder described(Builder operation, boolean head, String id, String headSummary, String summary,
            String description) {
        return operation
                .operationId(head ? "head" + Character.toUpperCase(id.charAt(0)) + id.substring(1) : id)
                .tag(TAG)
                .summary(head ? headSummary : summary)
                .description(description);
    }

    /** The two parameters that name one series: {@code switch} and {@code metric}, both required. */
    private static Builder oneSeries(Builder operation, String switchDescription) {
        return operation
                .parameter(name("switch", switchDescription, true))
                .parameter(name("metric", "Metric (CSV column), e.g. `latency_us`", true));
    }

    /**
     * What every answer read from one snapshot shares: {@code If-None-Match}, the request ID, a
     * {@code 200} with the snapshot's headers and a {@code 304} ({@code SnapshotAnswers}).
     */
    private static Builder fromSnapshot(Builder operation, boolean head, String type, @Nullable String schema,
            String description) {
        return operation
                .parameter(ifNoneMatch())
                .parameter(requestId())
                .response(ok(head, type, schema, description, SNAPSHOT_HEADERS))
                .response(notModified(ETAG, DATA_AGE, CACHE_CONTROL, REQUEST_ID));
    }

    public static Consumer<Builder> options(String operationId) {
        return operation -> operation
                .operationId(operationId)
                .tag(TAG)
                .summary("The methods this path allows")
                .parameter(requestId())
                .response(responseBuilder().responseCode("204").description("`Allow` lists GET, HEAD, OPTIONS")
                        .header(header(ALLOW)).header(header(REQUEST_ID)));
    }

    private static org.springdoc.core.fn.builders.parameter.Builder name(String name, String description,
            boolean required) {
        return parameterBuilder().in(ParameterIn.QUERY).name(name).description(description).required(required)
                .schema(schemaBuilder().type("string").minLength(1).maxLength(QueryParameters.MAX_PARAMETER_LENGTH));
    }

    private static org.springdoc.core.fn.builders.parameter.Builder names(String name, String description) {
        return parameterBuilder().in(ParameterIn.QUERY).name(name).description(description).required(false)
                .style(ParameterStyle.FORM).explode(Explode.TRUE)
                .array(arraySchemaBuilder().schema(schemaBuilder().type("string").minLength(1)));
    }

    /** ListMetrics' and the stream's {@code ports=false}: the body without the ports of port rows. */
    private static org.springdoc.core.fn.builders.parameter.Builder ports() {
        return parameterBuilder().in(ParameterIn.QUERY).name("ports").required(false)
                .description("`false`: leave out the `ports` object of port rows (the switches, their aggregates and"
                        + " descriptions only, under their own ETag); `true` (the default) lists them. No effect on"
                        + " switch rows")
                .schema(schemaBuilder().type("string").allowableValues(new String[] {"true", "false"}));
    }

    private static org.springdoc.core.fn.builders.parameter.Builder ifNoneMatch() {
        return parameterBuilder().in(ParameterIn.HEADER).name("If-None-Match")
                .description("An ETag from an earlier answer: `304` while the snapshot (and selection) is unchanged")
                .schema(schemaBuilder().type("string"));
    }

    private static org.springdoc.core.fn.builders.parameter.Builder requestId() {
        return parameterBuilder().in(ParameterIn.HEADER).name(REQUEST_ID)
                .description("The client's request ID (1-64 letters, digits, `.`, `_`, `-`); echoed in the answer"
                        + " and the access log, else one is generated")
                .schema(schemaBuilder().type("string"));
    }

    private static org.springdoc.core.fn.builders.apiresponse.Builder ok(boolean head, String mediaType,
            @Nullable String schema, String description, String... headers) {
        var response = responseBuilder().responseCode("200").description(description);
        if (!head) {
            response.content(contentBuilder().mediaType(mediaType)
                    .schema(schema == null ? schemaBuilder().type("string") : schemaBuilder().ref(schemaRef(schema))));
        }
        for (String name : headers) {
            response.header(header(name));
        }
        return response;
    }

    private static org.springdoc.core.fn.builders.apiresponse.Builder notModified(String... headers) {
        var response = responseBuilder().responseCode("304")
                .description("`If-None-Match` matched: the snapshot (and selection) is unchanged; no body");
        for (String name : headers) {
            response.header(header(name));
        }
        return response;
    }

    private static org.springdoc.core.fn.builders.apiresponse.Builder problem(boolean head, String status,
            String description) {
        var response = responseBuilder().responseCode(status).description(description).header(header(REQUEST_ID));
        if (!head) {
            response.content(contentBuilder().mediaType(PROBLEM_JSON).schema(schemaBuilder().ref(schemaRef("Problem"))));
        }
        return response;
    }

    private static org.springdoc.core.fn.builders.apiresponse.Builder noDataYet(boolean head) {
        return problem(head, "503", "No snapshot has been collected from the generator yet"
                + " (`…:no-data-yet`); `Retry-After` says when to try again").header(header(RETRY_AFTER));
    }

    private static org.springdoc.core.fn.builders.header.Builder header(String name) {
        return headerBuilder().name(name).ref("#/components/headers/" + name);
    }

    static String schemaRef(String name) {
        return "#/components/schemas/" + name;
    }
}
