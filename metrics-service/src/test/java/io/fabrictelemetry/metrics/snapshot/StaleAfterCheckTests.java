package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.MetricsApplication;
import io.fabrictelemetry.metrics.ingest.PollProperties;

@ExtendWith(OutputCaptureExtension.class)
class StaleAfterCheckTests {

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void staleAfterNotAbovePollIntervalIsRefusedAtStartupNamingBothSettingsAndValues(CapturedOutput output)
            throws IOException {
        SpringApplicationBuilder app = new SpringApplicationBuilder(MetricsApplication.class)
                .web(WebApplicationType.NONE)
                .properties("generator.port=" + closedPort(), "poll.interval=2s", "poll.timeout=1s",
                        "stale.after=2s", "METRICS_CONFIG_FILE=target/no-metrics-config.yml");

        assertThatException().isThrownBy(() -> app.run().close());
        // the report goes through the asynchronous console appender: it reaches the output shortly after
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("stale.after (STALE_AFTER) is 2s, which is not above poll.interval (POLL_INTERVAL) 2s")
                .contains("Set STALE_AFTER above POLL_INTERVAL"));
    }

    @Test
    void analysisNamesBothSettingsInTheirOwnNotation() {
        FailureAnalysis analysis = new StaleAfterFailureAnalyzer().analyze(
                new StaleAfterTooShortException(Duration.ofMillis(1500), Duration.ofMinutes(1)));
        assertThat(analysis.getDescription())
                .startsWith("stale.after (STALE_AFTER) is 1500ms, which is not above poll.interval (POLL_INTERVAL) 1m");
        assertThat(analysis.getAction()).contains("STALE_AFTER", "POLL_INTERVAL");
    }

    @Test
    void staleAfterAboveThePollIntervalIsAcceptedAndEqualIsNot() {
        PollProperties poll = new PollProperties(Duration.ofSeconds(2), Duration.ofSeconds(1), DataSize.ofMegabytes(1));
        assertThatNoException().isThrownBy(() -> new StaleAfterCheck(new StaleProperties(Duration.ofMillis(2001)), poll));
        assertThatExceptionOfType(StaleAfterTooShortException.class)
                .isThrownBy(() -> new StaleAfterCheck(new StaleProperties(Duration.ofSeconds(2)), poll));
    }
}
