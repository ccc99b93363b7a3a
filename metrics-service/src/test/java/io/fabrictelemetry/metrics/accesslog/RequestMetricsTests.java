package io.fabrictelemetry.metrics.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code http_server_requests_seconds} as operators knew it from Spring's observation — one timing
 * per request, by route template, method, status, outcome and exception, with histogram buckets —
 * now recorded by the access-log filter. Same context configuration as {@link TelemetryApiTests}.
 */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@AutoConfigureWebTestClient
class RequestMetricsTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Autowired
    MeterRegistry registry;

    @BeforeEach
    void publish() {
        Table table = Table.of(List.of("latency_us"), List.of("sw-0001"),
                new long[] {Double.doubleToRawLongBits(1.37)}, new byte[] {CellKind.DECIMAL}, 0, 0);
        store.publish(table, Instant.now(), Instant.now(), "\"g-1\"");
    }

    @Test
    void getMetricIsTimedOnceByRouteTemplateStatusAndOutcome() {
        Map<String, String> tags = tags("GET", "/telemetry/GetMetric", "200", "SUCCESS", "none");
        long before = count(tags);
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").exchange().expectStatus().isOk();
        client.get().uri("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").exchange().expectStatus().isOk();
        assertThat(count(tags)).isEqualTo(before + 2);
    }

    @Test
    void problemAnswersAreTimedWithTheirStatusAndException() {
        Map<String, String> unknownSwitch = tags("GET", "/telemetry/GetMetric", "404", "CLIENT_ERROR", "ProblemException");
        Map<String, String> wrongMethod = tags("POST", "/telemetry/ListMetrics", "405", "CLIENT_ERROR",
                "MethodNotAllowedException");
        long switchBefore = count(unknownSwitch);
        long methodBefore = count(wrongMethod);
        client.get().uri("/telemetry/GetMetric?switch=sw-9999&metric=latency_us").exchange().expectStatus().isNotFound();
        client.post().uri("/telemetry/ListMetrics").exchange().expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(count(unknownSwitch)).isEqualTo(switchBefore + 1);
        assertThat(count(wrongMethod)).isEqualTo(methodBefore + 1);
    }

    @Test
    void unknownPathIsTimedOnceUnderTheCatchAllPatternNeverItsOwnPath() {
        Map<String, String> catchAll = tags("GET", "/**", "404", "CLIENT_ERROR", "NoResourceFoundException");
        long before = count(catchAll);
        client.get().uri("/telemetry/sw-0001-secret").exchange().expectStatus().isNotFound();
        assertThat(count(catchAll)).isEqualTo(before + 1);
        assertThat(registry.find(RequestMetrics.NAME).tag("uri", "/telemetry/sw-0001-secret").timers()).isEmpty();
    }

    @Test
    void requestTimerIsExportedWithHistogramBuckets() {
        client.get().uri("/telemetry/ListMetrics").exchange().expectStatus().isOk();
        client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .containsPattern("http_server_requests_seconds_bucket\\{error=\"none\",exception=\"none\","
                                + "method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/telemetry/ListMetrics\","
                                + "le=\"0\\.001\"}")
                        .contains("http_server_requests_seconds_count{error=\"none\",exception=\"none\","
                                + "method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/telemetry/ListMetrics\"}"));
    }

    @Test
    void telemetryRoutesAreMatchedBeforeAnyOtherHandlerMapping(@Autowired List<HandlerMapping> mappings) {
        RouterFunctionMapping routes = mappings.stream().filter(RouterFunctionMapping.class::isInstance)
                .map(RouterFunctionMapping.class::cast).findFirst().orElseThrow();
        assertThat(mappings).filteredOn(mapping -> mapping != routes).isNotEmpty()
                .allSatisfy(other -> assertThat(((Ordered) other).getOrder()).isGreaterThan(routes.getOrder()));
        // and Actuator behind them still answers
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void clientThatLeavesBeforeTheAnswerIsTimedWithUnknownStatusAndOutcome() {
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/telemetry/GetMetric"));
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        new RequestMetrics(simple).record(exchange, true, 1_000_000);
        Timer timer = simple.get(RequestMetrics.NAME).timer();
        assertThat(tagMap(timer)).isEqualTo(tags("GET", "UNKNOWN", "UNKNOWN", "UNKNOWN", "none"));
        assertThat(timer.count()).isEqualTo(1);
    }

    private long count(Map<String, String> tags) {
        List<Timer> timers = registry.find(RequestMetrics.NAME).timers().stream()
                .filter(timer -> tagMap(timer).equals(tags)).toList();
        assertThat(timers).hasSizeLessThanOrEqualTo(1);
        return timers.isEmpty() ? 0 : timers.get(0).count();
    }

    /** The whole tag set, so that a missing or extra tag fails as surely as a wrong value. */
    private static Map<String, String> tags(String method, String uri, String status, String outcome, String exception) {
        return new TreeMap<>(Map.of("method", method, "uri", uri, "status", status, "outcome", outcome,
                "exception", exception, "error", exception));
    }

    private static Map<String, String> tagMap(Timer timer) {
        Map<String, String> map = new TreeMap<>();
        for (Tag tag : timer.getId().getTags()) {
            map.put(tag.getKey(), tag.getValue());
        }
        return map;
    }
}
