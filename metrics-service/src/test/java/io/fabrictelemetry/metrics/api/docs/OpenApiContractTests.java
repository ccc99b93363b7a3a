package io.fabrictelemetry.metrics.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;
import tools.jackson.databind.JsonNode;

/**
 * The published OpenAPI document: 3.1, every route of the application in it, Swagger UI served; and
 * the contract check itself, which every WebTestClient answer in the other API tests goes through
 * ({@link OpenApiContractFilter}), shown to reject what departs from the document.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class OpenApiContractTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    ApplicationContext context;

    @Autowired
    SnapshotStore store;

    /** Without the contract filter: these tests look at answers the filter would reject. */
    WebTestClient raw;

    OpenApiContract contract;

    @BeforeEach
    void publish() {
        // generous: the first request builds the document, seconds on a loaded machine
        raw = WebTestClient.bindToApplicationContext(context).configureClient()
                .responseTimeout(Duration.ofSeconds(30)).build();
        Table table = Table.of(List.of("bandwidth_gbps", "packet_errors", "latency_us"),
                List.of("sw-0001", "sw-0002"),
                new long[] {Double.doubleToRawLongBits(312.5), 17, Double.doubleToRawLongBits(1.37),
                        Double.doubleToRawLongBits(0.0), 4, 0},
                new byte[] {CellKind.DECIMAL, CellKind.INTEGER, CellKind.DECIMAL, CellKind.DECIMAL, CellKind.INTEGER, CellKind.NONE},
                0, 0);
        store.publish(table, Instant.now().minusMillis(1500), Instant.now(), "\"g-1\"");
        String document = raw.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        contract = OpenApiContract.of(document);
    }

    @Test
    void documentIsOpenApi31WithTheProblemSchemaAndEveryHeader() throws Exception {
        JsonNode document = contract.document();
        // the document as built, for a look without starting the service
        Files.writeString(Path.of("target", "openapi.json"), document.toPrettyString());
        assertThat(document.path("openapi").asString()).startsWith("3.1");
        assertThat(document.at("/components/schemas/Problem/required").toString())
                .contains("type", "title", "status", "detail", "instance");
        assertThat(document.at("/components/headers").propertyNames())
                .contains("ETag", "X-Data-Age-Ms", "Retry-After", "X-Request-Id");
        assertThat(document.at("/paths/~1telemetry~1GetMetric/get/parameters").toString())
                .contains("\"switch\"", "\"metric\"");
    }

    /** HEAD of the stream opens no stream: its document names only the refusal it can answer. */
    @Test
    void headOfTheStreamDocumentsOnlyTheServiceUnavailableItAnswers() {
        String head = contract.document().at("/paths/~1telemetry~1stream/head/responses/503/description").asString();
        assertThat(head).contains("no-data-yet").doesNotContain("too-many-streams", "shutting-down", "starting");
        assertThat(contract.document().at("/paths/~1telemetry~1stream/get/responses/503/description").asString())
                .contains("no-data-yet", "too-many-streams", "shutting-down");
    }

    @Test
    void everyApiRouteOfTheApplicationIsDocumented() {
        Set<String> routes = new TreeSet<>();
        for (RouterFunction<?> router : context.getBeansOfType(RouterFunction.class).values()) {
            router.accept(new RouteCollector(routes));
        }
        // the API is /telemetry/**; the dashboard's page and files (GET /, /dashboard/**) are no API operations
        routes.removeIf(route -> !OpenApiContract.inScope(route.substring(route.indexOf(' ') + 1)));
        Set<String> documented = new TreeSet<>();
        JsonNode paths = contract.document().path("paths");
        for (String path : paths.propertyNames()) {
            for (String method : paths.path(path).propertyNames()) {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        assertThat(routes).as("routes of the application").isNotEmpty();
        assertThat(documented).as("operations of /v3/api-docs").containsAll(routes);
        assertThat(documented).as("the dashboard is not documented as API")
                .noneMatch(operation -> operation.endsWith(" /") || operation.contains(" /dashboard"));
    }

    @Test
    void swaggerUiIsServedAndPointsAtTheDocument() {
        String location = client.get().uri("/swagger-ui.html").exchange()
                .expectStatus().is3xxRedirection()
                .returnResult(Void.class).getResponseHeaders().getLocation().toString();
        client.get().uri(location).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).containsIgnoringCase("swagger"));
        client.get().uri("/v3/api-docs/swagger-config").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.url").isEqualTo("/v3/api-docs");
    }

    @Test
    void actuatorStillExposesOnlyHealthInfoAndPrometheus() {
        client.get().uri("/actuator").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(links -> assertThat(links)
                        .contains("/actuator/health", "/actuator/info", "/actuator/prometheus")
                        .doesNotContain("/actuator/env", "/actuator/beans", "/actuator/openapi"));
    }

    @Test
    void conformingAnswersPass() {
        for (String uri : List.of("/telemetry/GetMetric?switch=sw-0002&metric=latency_us", "/telemetry/ListMetrics",
                "/telemetry/GetMetric?switch=sw-0001&metric=nope", "/telemetry/nope")) {
            assertThat(contract.violations(exchange(raw.get().uri(uri)))).as(uri).isEmpty();
        }
    }

    @Test
    void contractRejectsAnUndocumentedStatus() {
        var real = exchange(raw.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us"));
        var teapot = new OpenApiContract.Exchange("GET", real.path(), 418, real.headers(), real.body());
        assertThat(contract.violations(teapot)).singleElement().asString().contains("status 418 is not documented");
    }

    @Test
    void contractRejectsABodyThatDepartsFromItsSchema() {
        var real = exchange(raw.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us"));
        var wrong = new OpenApiContract.Exchange("GET", real.path(), 200, real.headers(),
                "{\"switch\":\"sw-0001\",\"metric\":\"latency_us\",\"value\":\"fast\",\"sampledAt\":\"x\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(contract.violations(wrong)).isNotEmpty()
                .anySatisfy(v -> assertThat(v).contains("value"))
                .anySatisfy(v -> assertThat(v).contains("collectedAt"));
    }

    @Test
    void contractRejectsAnUndocumentedProblemType() {
        var real = exchange(raw.get().uri("/telemetry/GetMetric?switch=nope&metric=latency_us"));
        byte[] body = new String(real.body(), StandardCharsets.UTF_8)
                .replace("unknown-switch", "switch-on-fire").getBytes(StandardCharsets.UTF_8);
        var wrong = new OpenApiContract.Exchange("GET", real.path(), 404, real.headers(), body);
        assertThat(contract.violations(wrong)).singleElement().asString().contains("/type");
    }

    @Test
    void contractRejectsMissingAndUndocumentedHeaders() {
        var real = exchange(raw.get().uri("/telemetry/ListMetrics"));
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(real.headers());
        headers.remove(HttpHeaders.ETAG);
        headers.set("X-Shard", "7");
        headers.set("X-Data-Age-Ms", "-5");
        assertThat(contract.violations(new OpenApiContract.Exchange("GET", real.path(), 200, headers, real.body())))
                .hasSize(3)
                .anySatisfy(v -> assertThat(v).contains("required header ETag is missing"))
                .anySatisfy(v -> assertThat(v).contains("X-Shard is not documented"))
                .anySatisfy(v -> assertThat(v).contains("X-Data-Age-Ms: -5"));
    }

    @Test
    void contractRejectsAnUndocumentedMediaType() {
        var real = exchange(raw.get().uri("/telemetry/ListMetrics"));
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(real.headers());
        headers.set(HttpHeaders.CONTENT_TYPE, "text/html");
        assertThat(contract.violations(new OpenApiContract.Exchange("GET", real.path(), 200, headers, real.body())))
                .singleElement().asString().contains("Content-Type text/html is not documented");
    }

    @Test
    void methodOutsideTheDocumentMustBe405WithTheDocumentedMethodsInAllow() {
        var real = exchange(raw.method(HttpMethod.DELETE).uri("/telemetry/ListMetrics"));
        assertThat(real.status()).isEqualTo(405);
        assertThat(contract.violations(real)).isEmpty();
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(real.headers());
        headers.set(HttpHeaders.ALLOW, "GET");
        assertThat(contract.violations(new OpenApiContract.Exchange("DELETE", real.path(), 405, headers, real.body())))
                .singleElement().asString().contains("differs from the documented methods");
        assertThat(contract.violations(new OpenApiContract.Exchange("DELETE", real.path(), 200, real.headers(),
                real.body()))).singleElement().asString().contains("must be 405");
    }

    @Test
    void headAnswerWithABodyIsRejected() {
        var real = exchange(raw.head().uri("/telemetry/ListMetrics"));
        assertThat(contract.violations(real)).isEmpty();
        assertThat(contract.violations(new OpenApiContract.Exchange("HEAD", real.path(), 200, real.headers(),
                "{}".getBytes(StandardCharsets.UTF_8)))).singleElement().asString().contains("a body of 2 bytes");
    }

    private static OpenApiContract.Exchange exchange(WebTestClient.RequestHeadersSpec<?> request) {
        EntityExchangeResult<byte[]> result = request.exchange().expectBody().returnResult();
        byte[] body = result.getResponseBody();
        return new OpenApiContract.Exchange(result.getMethod().name(), result.getUrl().getRawPath(),
                result.getStatus().value(), result.getResponseHeaders(), body == null ? new byte[0] : body);
    }

    /** Every (method, path) route of a RouterFunction; catch-alls without a method are not operations. */
    private static final class RouteCollector implements RouterFunctions.Visitor, RequestPredicates.Visitor {

        private final Set<String> routes;
        private final Set<String> methods = new TreeSet<>();
        private final Set<String> paths = new TreeSet<>();

        RouteCollector(Set<String> routes) {
            this.routes = routes;
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
            methods.clear();
            paths.clear();
            predicate.accept(this);
            for (String method : methods) {
                for (String path : paths) {
                    routes.add(method + " " + path);
                }
            }
        }

        @Override
        public void startNested(RequestPredicate predicate) {
        }

        @Override
        public void endNested(RequestPredicate predicate) {
        }

        @Override
        public void resources(java.util.function.Function<ServerRequest, reactor.core.publisher.Mono<org.springframework.core.io.Resource>> lookup) {
        }

        @Override
        public void attributes(java.util.Map<String, Object> attributes) {
        }

        @Override
        public void unknown(RouterFunction<?> routerFunction) {
        }

        @Override
        public void method(Set<HttpMethod> methods) {
            methods.forEach(m -> this.methods.add(m.name()));
        }

        @Override
        public void path(String pattern) {
            paths.add(pattern);
        }

        @Override
        public void pathExtension(String extension) {
        }

        @Override
        public void version(String version) {
        }

        @Override
        public void header(String name, String value) {
        }

        @Override
        public void queryParam(String name, String value) {
        }

        @Override
        public void startAnd() {
        }

        @Override
        public void and() {
        }

        @Override
        public void endAnd() {
        }

        @Override
        public void startOr() {
        }

        @Override
        public void or() {
        }

        @Override
        public void endOr() {
        }

        @Override
        public void startNegate() {
        }

        @Override
        public void endNegate() {
        }

        @Override
        public void unknown(RequestPredicate predicate) {
        }
    }
}
