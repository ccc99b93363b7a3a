package io.fabrictelemetry.generator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The generator's handling of a traced poll is a server span of the poll's trace (Spring's request
 * Observation continues the poller's {@code traceparent}): its access-log line ends with the trace
 * ID, and in the JSON logs carries it as a field. A request of no trace says none (probability 0).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"generator.switches=4", "generator.period=1h", "generator.seed=1"})
@AutoConfigureWebTestClient
@ActiveProfiles("json-logs")
@ExtendWith(OutputCaptureExtension.class)
class TracedAccessLogTests {

    private static final String POLL_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Autowired
    WebTestClient client;

    private static String accessLine(CapturedOutput output, String path) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().lines()
                .filter(line -> line.contains("\"logger\":\"access\"") && line.contains(path)).findFirst().orElse(null),
                line -> line != null);
    }

    @Test
    void aPollsRequestIsLoggedWithThePollsTraceId(CapturedOutput output) {
        client.get().uri("/counters?traced")
                .header("traceparent", "00-" + POLL_TRACE + "-00f067aa0ba902b7-01")
                .exchange().expectStatus().isOk();
        String line = accessLine(output, "/counters?traced");
        assertThat(line).contains(" trace=" + POLL_TRACE + "\"").contains("\"traceId\":\"" + POLL_TRACE + "\"");
    }

    @Test
    void aRequestOfNoTraceSaysNone(CapturedOutput output) {
        client.get().uri("/counters?untraced").exchange().expectStatus().isOk();
        String line = accessLine(output, "/counters?untraced");
        assertThat(line).doesNotContain("trace=").doesNotContain("traceId");
    }
}
