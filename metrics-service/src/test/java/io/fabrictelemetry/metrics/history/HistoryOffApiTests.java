package io.fabrictelemetry.metrics.history;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.conventions.TimeFormat;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/** With a budget of 0 history is off: GetMetricHistory answers the current point alone. */
@SpringBootTest(properties = {"poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "history.max-bytes=0"})
@AutoConfigureWebTestClient
class HistoryOffApiTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    SnapshotStore store;

    @Test
    void answersOnlyTheCurrentPointWhenHistoryIsOff() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 3; i >= 1; i--) {
            store.publish(Table.of(List.of("packet_errors"), List.of("sw-1"), new long[] {10 - i},
                    new byte[] {CellKind.INTEGER}, 0, 0), now.minusSeconds(i), now, null);
        }
        client.get().uri("/telemetry/GetMetricHistory?switch=sw-1&metric=packet_errors").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.retention").isEqualTo("PT0S")
                .jsonPath("$.points.length()").isEqualTo(1)
                .jsonPath("$.points[0].value").isEqualTo(9)
                .jsonPath("$.points[0].sampledAt").isEqualTo(TimeFormat.iso(now.minusSeconds(1)));
    }
}
