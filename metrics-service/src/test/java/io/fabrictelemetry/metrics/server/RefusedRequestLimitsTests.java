package io.fabrictelemetry.metrics.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.api.RealServerHttp;

/**
 * The 414 and 431 that the HTTP layer answers by itself name the limits in force, as configured
 * ({@code server.netty.max-initial-line-length}, {@code server.max-http-request-header-size}), not
 * the defaults.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "server.address=127.0.0.1",
        "server.netty.max-initial-line-length=6KB", "server.max-http-request-header-size=16KB"})
class RefusedRequestLimitsTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String target, String... headers) throws Exception {
        return RealServerHttp.send(port, "GET", target, HttpResponse.BodyHandlers.ofString(), headers);
    }

    @Test
    void requestLineOverTheConfiguredLimitIsAProblemNamingIt() throws Exception {
        // 5,000 bytes would be refused under the 4 KB default; within 6 KB it reaches the application
        assertThat(get("/telemetry/ListMetrics?switch=" + "x".repeat(5_000)).statusCode()).isNotEqualTo(414);

        HttpResponse<String> answer = get("/telemetry/ListMetrics?switch=" + "x".repeat(7_000));
        assertThat(answer.statusCode()).isEqualTo(414);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("\"status\":414").contains("longer than 6144 bytes");
    }

    @Test
    void headersOverTheConfiguredLimitAreAProblemNamingIt() throws Exception {
        assertThat(get("/telemetry/ListMetrics", "X-Filler", "y".repeat(10_000)).statusCode()).isNotEqualTo(431);

        HttpResponse<String> answer = get("/telemetry/ListMetrics", "X-Filler", "y".repeat(20_000));
        assertThat(answer.statusCode()).isEqualTo(431);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("\"status\":431").contains("larger than 16384 bytes");
    }
}
