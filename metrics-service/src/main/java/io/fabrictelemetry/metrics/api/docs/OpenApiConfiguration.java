package io.fabrictelemetry.metrics.api.docs;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fabrictelemetry.metrics.api.ProblemException;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;

/**
 * What the OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) says
 * beyond the routes: the API's info, the JSON Schemas of the bodies and the response headers. The
 * operations themselves are described beside their routes ({@link ApiDocs}, {@link io.fabrictelemetry.metrics.api.TelemetryRouter}).
 * springdoc builds the document on its first request, not at startup; {@code springdoc.api-docs.enabled}
 * and {@code springdoc.swagger-ui.enabled} turn the document and the UI off.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** Every problem {@code type} the API answers with; a new one must be added here (the contract test checks). */
    static final List<String> PROBLEM_TYPES = List.of("about:blank",
            ProblemException.TYPE_PREFIX + "missing-parameter",
            ProblemException.TYPE_PREFIX + "repeated-parameter",
            ProblemException.TYPE_PREFIX + "parameter-too-long",
            ProblemException.TYPE_PREFIX + "invalid-query",
            ProblemException.TYPE_PREFIX + "invalid-parameter",
            ProblemException.TYPE_PREFIX + "unknown-switch",
            ProblemException.TYPE_PREFIX + "unknown-metric",
            ProblemException.TYPE_PREFIX + "unknown-port",
            ProblemException.TYPE_PREFIX + "no-ports",
            ProblemException.TYPE_PREFIX + "no-data-yet",
            ProblemException.TYPE_PREFIX + "too-many-streams",
            ProblemException.TYPE_PREFIX + "shutting-down");

    @Bean
    OpenAPI telemetryOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info()
                        .title("fabric-telemetry metrics-service")
                        .version(properties == null ? "dev" : properties.getVersion())
                        .description("""
                                The latest snapshot of a switch fabric's telemetry, polled from the generator and \
                                served from memory. Every answer says how old its data is (`X-Data-Age-Ms`) and \
                                names its snapshot with a strong `ETag` (`If-None-Match` → `304`). Errors are RFC 9457 \
                                problem details (`application/problem+json`). Beyond the operations listed: an \
                                unknown path answers `404`, and a method a path does not list answers `405` with \
                                `Allow`, both as problems of type `about:blank`. Every answer carries `X-Request-Id`."""));
    }

    /**
     * The shared schemas and headers. Added here rather than in the {@link OpenAPI} bean, which springdoc
     * copies through a Jackson round trip that cannot read OpenAPI 3.1 schemas back. Also: springdoc
     * writes {@code style} and a default {@code schema} beside a header's {@code $ref}; a Reference
     * Object takes no such siblings, and tools would read the wrong schema from them.
     */
    @Bean
    OpenApiCustomizer telemetryComponents() {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            schemas().forEach(components::addSchemas);
            headers().forEach(components::addHeaders);
            openApi.setComponents(components);
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                    operation.getResponses().values().forEach(response -> {
                        if (response.getHeaders() != null) {
                            response.getHeaders().replaceAll((name, header) ->
                                    header.get$ref() == null ? header : new Header().$ref(header.get$ref()));
                        }
                    })));
        };
    }

    static Map<String, Schema> schemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put("MetricValue", object("One metric of one switch, or of one of its ports",
                List.of("switch", "metric", "value", "sampledAt", "collectedAt"))
                .addProperty("switch", string("Switch ID (on port rows its node GUID, as the source wrote it)"))
                .addProperty("port", type("integer").minimum(BigDecimal.ZERO)
                        .description("The port asked for (`port=`): the value is that port's"))
                .addProperty("description", string("The switch's `node_description`, on port rows when the source"
                        + " gives one"))
                .addProperty("metric", string("Metric (CSV column)"))
                .addProperty("value", type("number", "null")
                        .description("The reading: an integer for counters, else a decimal; null when there is none"
                                + " (for an aggregate: when none of its ports has one)"))
                .addProperty("aggregate", strings("On port rows without `port`: how the value aggregates the"
                        + " switch's ports, `sum` (counters and their rates) or `max` (every other metric)",
                        List.of("sum", "max")))
                .addProperty("ports", type("integer").minimum(BigDecimal.ZERO)
                        .description("With `aggregate`: how many of the switch's ports had a value"))
                .addProperty("sampledAt", time("When the generator produced the value (a port's own row; an"
                        + " aggregate's oldest port)"))
                .addProperty("collectedAt", time("When the metrics-service received the payload holding it"))
                .additionalProperties(false));
        schemas.put("ListMetrics", object("The snapshot, or the selected switches and metrics of it",
                List.of("sequence", "sampledAt", "collectedAt", "metrics", "switches"))
                .addProperty("sequence", type("integer").minimum(BigDecimal.ONE)
                        .description("+1 per published snapshot"))
                .addProperty("sampledAt", time("When the generator produced the values"))
                .addProperty("collectedAt", time("When the metrics-service received them"))
                .addProperty("metrics", type("array").items(string("Metric")).description("The metrics, in the generator's order"))
                .addProperty("switches", type("object")
                        .description("Switch ID → metric → value (null: no reading), in the generator's order")
                        .additionalProperties(type("object").additionalProperties(type("number", "null"))))
                .addProperty("carriedOver", type("object")
                        .description("Present when a listed switch's row was damaged in the latest payload: switch ID"
                                + " → the sampledAt of the older values it still shows")
                        .additionalProperties(time("sampledAt of the carried-over values")))
                .addProperty("ports", type("object")
                        .description("On port rows: switch GUID → port number → metric → value (null: no reading),"
                                + " switches and ports in the source's order; `switches` then holds the aggregates")
                        .additionalProperties(type("object").additionalProperties(
                                type("object").additionalProperties(type("number", "null")))))
                .addProperty("descriptions", type("object")
                        .description("On port rows, when the source names any listed switch: switch GUID →"
                                + " its `node_description`")
                        .additionalProperties(string("The switch's node_description")))
                .additionalProperties(false));
        schemas.put("TopSwitches", object("The switches with the highest (desc) or lowest (asc) values of a metric",
                List.of("metric", "order", "limit", "sequence", "sampledAt", "collectedAt", "switches"))
                .addProperty("metric", string("The metric ranked by"))
                .addProperty("order", strings("`desc`: highest first; `asc`: lowest first", List.of("desc", "asc")))
                .addProperty("limit", type("integer").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(1000)))
                .addProperty("sequence", type("integer").minimum(BigDecimal.ONE).description("+1 per published snapshot"))
                .addProperty("sampledAt", time("When the generator produced the values"))
                .addProperty("collectedAt", time("When the metrics-service received them"))
                .addProperty("switches", type("array").description("At most `limit` switches, best first")
                        .items(object("A switch and its value", List.of("switch", "value"))
                                .addProperty("switch", string("Switch ID"))
                                .addProperty("description", string("On port rows, the switch's `node_description`,"
                                        + " when known"))
                                .addProperty("value", type("number").description("Its value (never null: switches"
                                        + " without a reading are not listed)"))
                                .additionalProperties(false)))
                .additionalProperties(false));
        schemas.put("TopPorts", object("The ports with the highest (desc) or lowest (asc) values of a metric",
                List.of("metric", "order", "limit", "sequence", "sampledAt", "collectedAt", "ports"))
                .addProperty("metric", string("The metric ranked by"))
                .addProperty("order", strings("`desc`: highest first; `asc`: lowest first", List.of("desc", "asc")))
                .addProperty("limit", type("integer").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(1000)))
                .addProperty("sequence", type("integer").minimum(BigDecimal.ONE).description("+1 per published snapshot"))
                .addProperty("sampledAt", time("When the source produced the values"))
                .addProperty("collectedAt", time("When the metrics-service received them"))
                .addProperty("ports", type("array").description("At most `limit` ports, best first")
                        .items(object("A port and its value", List.of("switch", "port", "value"))
                                .addProperty("switch", string("The switch's node GUID, as the source wrote it"))
                                .addProperty("port", type("integer").minimum(BigDecimal.ZERO).description("Port number"))
                                .addProperty("description", string("The switch's `node_description`, when known"))
                                .addProperty("value", type("number").description("Its value (never null: ports"
                                        + " without a reading are not listed)"))
                                .additionalProperties(false)))
                .additionalProperties(false));
        schemas.put("MetricHistory", object("What one series did over the kept history",
                List.of("switch", "metric", "retention", "points"))
                .addProperty("switch", string("Switch ID (on port rows its node GUID, as the source wrote it)"))
                .addProperty("port", type("integer").minimum(BigDecimal.ZERO)
                        .description("The port asked for (`port=`): the series is that port's"))
                .addProperty("description", string("The switch's `node_description`, on port rows when the source"
                        + " gives one"))
                .addProperty("metric", string("Metric (CSV column)"))
                .addProperty("aggregate", strings("On port rows without `port`: how each point aggregates the"
                        + " switch's ports, `sum` (counters and their rates) or `max` (every other metric)",
                        List.of("sum", "max")))
                .addProperty("retention", string("How far back history is kept, an ISO-8601 duration (`PT15M`;"
                        + " `PT0S` when history is off)"))
                .addProperty("points", type("array").description("Oldest first")
                        .items(object("One accepted snapshot's reading", List.of("sampledAt", "value"))
                                .addProperty("sampledAt", time("When the generator produced the value (a port's own"
                                        + " row; an aggregate's oldest port)"))
                                .addProperty("value", type("number", "null").description("null: no reading"))
                                .additionalProperties(false)))
                .additionalProperties(false));
        schemas.put("Problem", object("An RFC 9457 problem detail",
                List.of("type", "title", "status", "detail", "instance"))
                .addProperty("type", strings("What went wrong; `about:blank` for plain HTTP errors", PROBLEM_TYPES))
                .addProperty("title", string("The HTTP status's reason phrase"))
                .addProperty("status", type("integer").minimum(BigDecimal.valueOf(400)).maximum(BigDecimal.valueOf(599)))
                .addProperty("detail", string("What was wrong with this request, for a person"))
                .addProperty("instance", string("The request path"))
                .addProperty("validMetrics", type("array").items(string("Metric"))
                        .description("With `…:unknown-metric`: the metrics of the current snapshot")));
        return schemas;
    }

    /** A string that is one of {@code values}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> strings(String description, List<String> values) {
        Schema schema = type("string").description(description);
        schema.setEnum(values);
        return schema;
    }

    static Map<String, Header> headers() {
        Map<String, Header> headers = new LinkedHashMap<>();
        headers.put(ApiDocs.ETAG, header("Strong entity tag of the snapshot (and selection, and encoding); send it"
                + " back in `If-None-Match`. Carries this process's boot identifier, so a restarted service never"
                + " answers a stale `304`", type("string").pattern("^\"[^\"]+\"$")));
        headers.put(ApiDocs.DATA_AGE, header("Milliseconds since the values in the answer were sampled",
                type("integer").minimum(BigDecimal.ZERO)));
        headers.put(ApiDocs.CACHE_CONTROL, header("`no-cache` (revalidate with `If-None-Match`); `no-store` on the"
                + " event stream", type("string").pattern("^no-(cache|store)$")));
        headers.put(ApiDocs.VARY, header("`Accept-Encoding`: gzip and identity bodies differ", type("string")));
        headers.put(ApiDocs.CONTENT_ENCODING, header("`gzip` when the client accepted it", type("string").pattern("^gzip$"))
                .required(false));
        headers.put(ApiDocs.RETRY_AFTER, header("Seconds until a snapshot may exist (the poll interval)",
                type("integer").minimum(BigDecimal.ONE)));
        headers.put(ApiDocs.REQUEST_ID, header("The client's request ID when it sent a sane one, else a generated one;"
                + " it starts the request's access-log line", type("string").pattern("^[A-Za-z0-9._-]{1,64}$")));
        headers.put(ApiDocs.ALLOW, header("The methods the path allows", type("string")));
        headers.put(ApiDocs.ACCEL_BUFFERING, header("`no`: tells a reverse proxy (nginx) not to buffer the event stream",
                type("string").pattern("^no$")));
        return headers;
    }

    private static Header header(String description, Schema<?> schema) {
        return new Header().description(description).required(true).schema(schema);
    }

    private static Schema<?> object(String description, List<String> required) {
        return type("object").description(description).required(required);
    }

    private static Schema<?> string(String description) {
        return type("string").description(description);
    }

    private static Schema<?> time(String description) {
        return type("string").format("date-time").description(description + " (ISO-8601 UTC, milliseconds)");
    }

    private static Schema<?> type(String... types) {
        Schema<?> schema = new JsonSchema();
        schema.setTypes(new LinkedHashSet<>(List.of(types)));
        return schema;
    }
}
