package io.fabrictelemetry.metrics.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.fabrictelemetry.metrics.MetricsApplication;

@ExtendWith(OutputCaptureExtension.class)
class ShutdownDuringPollTests {

    @RegisterExtension
    static WireMockExtension generator = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    @Test
    void shutdownCancelsThePollInFlightWithoutWaitingForItsTimeoutOrLoggingAnError(CapturedOutput output) {
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(200).withBody("switch_id,a\r\nx,1\r\n")
                .withFixedDelay(30_000)));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(MetricsApplication.class).run(
                "--server.port=0", "--generator.port=" + generator.getPort(),
                "--poll.interval=60s", "--poll.timeout=45s", "--stale.after=2m");
        IngestionTracker tracker = context.getBean(IngestionTracker.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> generator.getAllServeEvents().size() == 1);
        int logBeforeClose = output.getAll().length();

        context.close();

        // had shutdown waited for the poll, it would have ended (timeout at 45 s) and been recorded
        assertThat(tracker.status().lastPollAt()).isNull();
        assertThat(context.isActive()).isFalse();
        String shutdownLog = output.getAll().substring(logBeforeClose);
        assertThat(shutdownLog).doesNotContain("ERROR").doesNotContain("WARN").doesNotContain("Exception");
    }
}
