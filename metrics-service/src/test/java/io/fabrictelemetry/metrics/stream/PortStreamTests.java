package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.query.PortFabric;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/**
 * The stream on port rows, over real HTTP: each event's data is the ListMetrics body, ports and
 * descriptions included, and a filtered stream's events are exactly the filtered ListMetrics of
 * the same query (switches, ports and descriptions filtered alike), snapshot after snapshot.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h"})
@Timeout(60) // a missing event would leave a line read waiting
class PortStreamTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    SnapshotStore store;

    @Autowired
    SnapshotStream stream;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void noStreamLeftOpen() {
        await().atMost(Duration.ofSeconds(20)).until(() -> stream.clients() == 0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private String listMetrics(String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/telemetry/ListMetrics" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The next event's data line, comments and the event's other lines skipped. */
    private static String nextData(Iterator<String> lines) {
        while (true) {
            String line = lines.next();
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
    }

    @Test
    void eventsCarryTheWholeListMetricsBodyWithItsPorts() throws Exception {
        Snapshot snapshot = PortFabric.publish(store).snapshot;
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri("/telemetry/stream")).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            String data = nextData(lines.iterator());
            assertThat(data).isEqualTo(new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8))
                    .contains("\"ports\":{\"" + PortFabric.A + "\":{\"1\":{", "\"descriptions\":{");
        }
    }

    @Test
    void aFilteredStreamCarriesTheFilteredListMetricsOfEachSnapshot() throws Exception {
        PortFabric.publish(store);
        String query = "?switch=spine-01," + PortFabric.C.toUpperCase().replace("0X", "0x") + "&metric="
                + PortFabric.SYMBOL_ERRORS;
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(uri("/telemetry/stream" + query)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        try (Stream<String> lines = response.body()) {
            Iterator<String> iterator = lines.iterator();
            String first = nextData(iterator);
            assertThat(first).isEqualTo(listMetrics(query))
                    .contains("\"ports\":{\"" + PortFabric.B + "\":{\"1\":{\"" + PortFabric.SYMBOL_ERRORS + "\":18},")
                    .contains("\"descriptions\":{\"" + PortFabric.B + "\":\"spine-01\"}")
                    .doesNotContain(PortFabric.A, PortFabric.CBW, "leaf-01");
            // the next snapshot: B's port 1 now has 20 errors
            Instant now = Instant.now();
            store.publish(PortFabric.table(PortFabric.csv(now, now).replace("spine-01,7,18,", "spine-01,7,20,")),
                    now, now, null);
            String second = nextData(iterator);
            assertThat(second).isEqualTo(listMetrics(query)).contains("{\"1\":{\"" + PortFabric.SYMBOL_ERRORS + "\":20}");
        }
    }
}
