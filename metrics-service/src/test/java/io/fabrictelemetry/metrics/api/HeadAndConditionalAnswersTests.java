package io.fabrictelemetry.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * On the real server (Reactor Netty, which a mock exchange does not have): a {@code HEAD} answers
 * with the headers of the {@code GET}, its {@code Content-Length} included and no chunked encoding,
 * and {@code If-None-Match: *} is a {@code 304} on every answer with an ETag, as RFC 9110 §13.1.2
 * has it (a current representation exists).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "server.address=127.0.0.1"})
class HeadAndConditionalAnswersTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    SnapshotStore store;

    @BeforeEach
    void publish() {
        if (store.current() == null) {
            store.publish(Table.of(List.of("latency_us", "packet_errors"), List.of("sw-0001", "sw-0002"),
                    new long[] {7, 1, Double.doubleToRawLongBits(2.5), 3},
                    new byte[] {CellKind.INTEGER, CellKind.INTEGER, CellKind.DECIMAL, CellKind.INTEGER}, 0, 0),
                    Instant.now(), Instant.now(), null);
        }
    }

    private HttpResponse<byte[]> send(String method, String target, String... headers) throws Exception {
        return RealServerHttp.send(port, method, target, HttpResponse.BodyHandlers.ofByteArray(), headers);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/telemetry/GetMetric?switch=sw-0001&metric=latency_us", "/telemetry/ListMetrics",
            "/telemetry/ListMetrics?switch=sw-0002", "/telemetry/TopSwitches?metric=latency_us",
            "/telemetry/prometheus", "/telemetry/GetMetricHistory?switch=sw-0001&metric=latency_us"})
    void headStatesTheLengthOfTheGetsBody(String target) throws Exception {
        HttpResponse<byte[]> get = send("GET", target);
        HttpResponse<byte[]> head = send("HEAD", target);

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length);
        assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/telemetry/ListMetrics", "/telemetry/ListMetrics?switch=sw-0002"})
    void headOfTheGzippedBodyStatesItsLength(String target) throws Exception {
        HttpResponse<byte[]> get = send("GET", target, "Accept-Encoding", "gzip");
        HttpResponse<byte[]> head = send("HEAD", target, "Accept-Encoding", "gzip");

        assertThat(get.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(head.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(head.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/telemetry/GetMetric?switch=sw-0001&metric=latency_us", "/telemetry/ListMetrics",
            "/telemetry/ListMetrics?switch=sw-0002", "/telemetry/TopSwitches?metric=latency_us",
            "/telemetry/prometheus", "/telemetry/GetMetricHistory?switch=sw-0001&metric=latency_us"})
    void ifNoneMatchStarIsNotModifiedOnEveryAnswer(String target) throws Exception {
        HttpResponse<byte[]> answer = send("GET", target, "If-None-Match", "*");
        HttpResponse<byte[]> gzipped = send("GET", target, "If-None-Match", "*", "Accept-Encoding", "gzip");

        assertThat(answer.statusCode()).isEqualTo(304);
        assertThat(answer.headers().firstValue("ETag")).isPresent();
        assertThat(answer.headers().firstValue("X-Data-Age-Ms")).isPresent();
        assertThat(answer.headers().firstValue("Content-Length")).isEmpty();
        assertThat(answer.body()).isEmpty();
        assertThat(send("HEAD", target, "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(gzipped.statusCode()).isEqualTo(304);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/telemetry/GetMetric?switch=sw-0001&metric=latency_us", "/telemetry/ListMetrics",
            "/telemetry/ListMetrics?switch=sw-0002", "/telemetry/TopSwitches?metric=latency_us",
            "/telemetry/prometheus", "/telemetry/GetMetricHistory?switch=sw-0001&metric=latency_us"})
    void theAnswersOwnEtagStrongOrWeakIsNotModifiedAndAnotherIsNot(String target) throws Exception {
        String etag = send("GET", target).headers().firstValue("ETag").orElseThrow();

        assertThat(send("GET", target, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(send("GET", target, "If-None-Match", "\"other\", W/" + etag).statusCode()).isEqualTo(304);
        assertThat(send("GET", target, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }
}
