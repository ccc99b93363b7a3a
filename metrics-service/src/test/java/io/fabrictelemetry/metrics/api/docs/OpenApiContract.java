package io.fabrictelemetry.metrics.api.docs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Checks one HTTP exchange against the published OpenAPI 3.1 document: the operation exists (else the
 * answer must be the generic {@code 404} or {@code 405} the document's info describes), the status
 * is documented for it, every required response header is present, every header the API sets
 * ({@code X-*}, {@code ETag}, {@code Retry-After}, ...) is documented for that response and matches
 * its schema, the media type is documented, and the body validates against the documented JSON
 * Schema (networknt json-schema-validator, OpenAPI 3.1 dialect, {@code $ref}s resolved in the document).
 */
final class OpenApiContract {

    /** The base IRI the document is registered under, so its {@code #/components/...} references resolve. */
    private static final String IRI = "https://fabric-telemetry.invalid/v3/api-docs";
    /** The API's prefix: exchanges outside it (Actuator, Swagger UI) are not the contract's business. */
    private static final String API_PREFIX = "/telemetry";
    /** Headers the API sets itself: each must be documented wherever it appears. */
    private static final Set<String> API_HEADERS = Set.of("etag", "cache-control", "vary", "content-encoding",
            "retry-after", "allow");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonNode document;
    private final SchemaRegistry schemas;

    private OpenApiContract(String document) {
        this.document = JSON.readTree(document);
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(IRI, document)));
    }

    static OpenApiContract of(String document) {
        return new OpenApiContract(document);
    }

    JsonNode document() {
        return document;
    }

    /** What one answer the API gave: the request's method and path, the response as received. */
    record Exchange(String method, String path, int status, HttpHeaders headers, byte[] body) {

        @Override
        public String toString() {
            return method + " " + path + " -> " + status;
        }
    }

    static boolean inScope(String path) {
        return path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/");
    }

    /** Every way the exchange departs from the document; empty when it conforms. */
    List<String> violations(Exchange exchange) {
        List<String> violations = new ArrayList<>();
        String pathKey = pathKey(exchange.path());
        if (pathKey == null) {
            expectGenericProblem(exchange, 404, violations);
            return violations;
        }
        JsonNode pathItem = document.path("paths").path(pathKey);
        String method = exchange.method().toLowerCase(Locale.ROOT);
        JsonNode operation = pathItem.path(method);
        if (operation.isMissingNode()) {
            expectGenericProblem(exchange, 405, violations);
            Set<String> documented = new TreeSet<>();
            pathItem.propertyNames().forEach(name -> documented.add(name.toUpperCase(Locale.ROOT)));
            Set<String> allowed = new TreeSet<>();
            exchange.headers().getAllow().forEach(m -> allowed.add(m.name()));
            if (!allowed.equals(documented)) {
                violations.add(exchange + ": Allow " + allowed + " differs from the documented methods " + documented);
            }
            return violations;
        }
        String pointer = "/paths/" + escape(pathKey) + "/" + method + "/responses/";
        JsonNode responses = operation.path("responses");
        String code = Integer.toString(exchange.status());
        if (responses.has(code)) {
            pointer += code;
        } else if (responses.has("default")) {
            pointer += "default";
        } else {
            violations.add(exchange + ": status " + code + " is not documented for " + exchange.method() + " "
                    + pathKey + " (documented: " + responses.propertyNames() + ")");
            return violations;
        }
        checkResponse(exchange, pointer, violations);
        return violations;
    }

    private void checkResponse(Exchange exchange, String pointer, List<String> violations) {
        Resolved response = resolve(pointer);
        JsonNode documentedHeaders = response.node().path("headers");
        // required headers are present, and present ones match their schema
        for (String name : documentedHeaders.propertyNames()) {
            Resolved header = resolve(response.pointer() + "/headers/" + escape(name));
            String value = exchange.headers().getFirst(name);
            if (value == null) {
                if (header.node().path("required").asBoolean(false)) {
                    violations.add(exchange + ": required header " + name + " is missing");
                }
                continue;
            }
            for (Error error : schemaAt(header.pointer() + "/schema").validate(headerValue(header, value))) {
                violations.add(exchange + ": header " + name + ": " + value + ": " + error.getMessage());
            }
        }
        // every header the API itself sets is documented for this response
        for (String name : exchange.headers().headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.startsWith("x-") || API_HEADERS.contains(lower)) && !hasName(documentedHeaders, name)) {
                violations.add(exchange + ": header " + name + " is not documented for this response");
            }
        }
        checkBody(exchange, response, violations);
    }

    private void checkBody(Exchange exchange, Resolved response, List<String> violations) {
        JsonNode content = response.node().path("content");
        byte[] body = exchange.body();
        if (exchange.method().equals("HEAD") || content.isMissingNode() || content.isEmpty()) {
            if (body.length > 0) {
                violations.add(exchange + ": a body of " + body.length + " bytes where the document has none");
            }
            return;
        }
        MediaType type = exchange.headers().getContentType();
        if (type == null) {
            violations.add(exchange + ": no Content-Type; documented: " + content.propertyNames());
            return;
        }
        String documented = null;
        for (String candidate : content.propertyNames()) {
            MediaType parsed = MediaType.parseMediaType(candidate);
            if (parsed.getType().equals(type.getType()) && parsed.getSubtype().equals(type.getSubtype())
                    && type.getParameters().entrySet().containsAll(withoutCharset(parsed))) {
                documented = candidate;
            }
        }
        if (documented == null) {
            violations.add(exchange + ": Content-Type " + type + " is not documented (" + content.propertyNames() + ")");
            return;
        }
        boolean json = type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
        if (!json) {
            return; // a text body: its schema is a string, which any body is
        }
        JsonNode instance;
        try {
            instance = JSON.readTree(decoded(exchange, body));
        } catch (RuntimeException e) {
            violations.add(exchange + ": body is not JSON: " + e.getMessage());
            return;
        }
        String schemaPointer = response.pointer() + "/content/" + escape(documented) + "/schema";
        for (Error error : schemaAt(schemaPointer).validate(instance)) {
            violations.add(exchange + ": body " + error.getInstanceLocation() + ": " + error.getMessage());
        }
    }

    private static java.util.Set<Map.Entry<String, String>> withoutCharset(MediaType type) {
        var parameters = new java.util.HashMap<>(type.getParameters());
        parameters.remove("charset");
        return parameters.entrySet();
    }

    private static byte[] decoded(Exchange exchange, byte[] body) {
        if (!"gzip".equalsIgnoreCase(exchange.headers().getFirst(HttpHeaders.CONTENT_ENCODING))) {
            return body;
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer outside the documented operations: the generic problem the document's info promises. */
    private void expectGenericProblem(Exchange exchange, int status, List<String> violations) {
        if (exchange.status() != status) {
            violations.add(exchange + ": " + exchange.path() + " with " + exchange.method() + " is not documented,"
                    + " so the answer must be " + status + ", but was " + exchange.status());
            return;
        }
        if (exchange.method().equals("HEAD")) {
            return;
        }
        MediaType type = exchange.headers().getContentType();
        if (type == null || !type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
            violations.add(exchange + ": Content-Type " + type + ", not " + MediaType.APPLICATION_PROBLEM_JSON);
            return;
        }
        JsonNode problem = JSON.readTree(exchange.body());
        for (Error error : schemaAt("/components/schemas/Problem").validate(problem)) {
            violations.add(exchange + ": body " + error.getInstanceLocation() + ": " + error.getMessage());
        }
        if (!problem.path("type").asString("").equals("about:blank")) {
            violations.add(exchange + ": type " + problem.path("type") + ", not about:blank");
        }
    }

    /** The documented path matching the request's (templates like {@code /a/{id}} included), or null. */
    private String pathKey(String path) {
        for (String key : document.path("paths").propertyNames()) {
            String regex = Pattern.quote(key).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex)) {
                return key;
            }
        }
        return null;
    }

    private static boolean hasName(JsonNode headers, String name) {
        for (String documented : headers.propertyNames()) {
            if (documented.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** A header's value as the JSON its schema expects: a number where the schema says integer or number. */
    private static JsonNode headerValue(Resolved header, String value) {
        JsonNode type = header.node().path("schema").path("type");
        boolean numeric = type.toString().contains("integer") || type.toString().contains("number");
        if (numeric && value.matches("-?\\d+(\\.\\d+)?")) {
            return JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(value));
        }
        return JsonNodeFactory.instance.stringNode(value);
    }

    private Schema schemaAt(String pointer) {
        return schemas.getSchema(SchemaLocation.of(IRI + "#" + pointer));
    }

    /** A node of the document and where it lives, after following a local {@code $ref}. */
    private record Resolved(String pointer, JsonNode node) {
    }

    private Resolved resolve(String pointer) {
        JsonNode node = document.at(pointer);
        for (int hops = 0; node.has("$ref") && hops < 8; hops++) {
            String ref = node.get("$ref").asString();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local references are supported: " + ref);
            }
            pointer = ref.substring(1);
            node = document.at(pointer);
        }
        if (node.isMissingNode()) {
            throw new IllegalStateException("the document has nothing at " + pointer);
        }
        return new Resolved(pointer, node);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
