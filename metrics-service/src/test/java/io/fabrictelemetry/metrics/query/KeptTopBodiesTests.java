package io.fabrictelemetry.metrics.query;

import static io.fabrictelemetry.metrics.query.PortFabric.A;
import static io.fabrictelemetry.metrics.query.PortFabric.B;
import static io.fabrictelemetry.metrics.query.PortFabric.PCK_IN;
import static io.fabrictelemetry.metrics.query.PortFabric.SYMBOL_ERRORS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;

import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * TopPorts' (and TopSwitches') body is encoded once per snapshot and query (metric, order, limit),
 * then served as it is: each query keeps a body of its own, a newer snapshot ranks its own values
 * (never answered with an older snapshot's kept list), and the first ranking of a large fabric runs
 * off the caller's thread (the event loop).
 */
class KeptTopBodiesTests {

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)));
    private final TelemetryHandler handler = new TelemetryHandler(
            new SnapshotAnswers(store, new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
                    DataSize.ofMegabytes(64)), Clock.systemUTC()));

    private static MockServerRequest request(String path, String query) {
        return MockServerRequest.builder().uri(URI.create("http://localhost" + path + "?" + query)).build();
    }

    /** A TopPorts answer, written as the server writes it. */
    private String topPorts(String query) {
        return written(handler.topPorts(request("/telemetry/TopPorts", query)).block(Duration.ofSeconds(30)),
                "/telemetry/TopPorts?" + query);
    }

    private String topSwitches(String query) {
        return written(handler.topSwitches(request("/telemetry/TopSwitches", query)).block(Duration.ofSeconds(30)),
                "/telemetry/TopSwitches?" + query);
    }

    private static String written(ServerResponse response, String uri) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(uri));
        response.writeTo(exchange, new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return HandlerStrategies.withDefaults().messageWriters();
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        }).block(Duration.ofSeconds(30));
        return DataBufferUtils.join(exchange.getResponse().getBody()).map(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            return new String(bytes, StandardCharsets.UTF_8);
        }).block(Duration.ofSeconds(30));
    }

    private Snapshot publish(String csv) {
        Instant sampledAt = Instant.now().minusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        return store.publish(PortFabric.table(csv), sampledAt, Instant.now(), null);
    }

    private static String csv() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return PortFabric.csv(now, now.minusSeconds(60));
    }

    @Test
    void aQueryAskedAgainIsAnsweredWithTheBodyKeptForItsSnapshot() {
        publish(csv());

        String first = topPorts("metric=" + SYMBOL_ERRORS + "&limit=3");
        String second = topPorts("metric=" + SYMBOL_ERRORS + "&limit=3");

        assertThat(second).isEqualTo(first).contains("\"limit\":3");
        assertThat(handler.keptTopBodies()).isEqualTo(1);
    }

    @Test
    void eachMetricOrderAndLimitHasABodyOfItsOwn() {
        publish(csv());

        String three = topPorts("metric=" + SYMBOL_ERRORS + "&limit=3");
        String one = topPorts("metric=" + SYMBOL_ERRORS + "&limit=1");
        String ascending = topPorts("metric=" + SYMBOL_ERRORS + "&limit=1&order=asc");
        String otherMetric = topPorts("metric=" + PCK_IN + "&limit=1");
        String switches = topSwitches("metric=" + SYMBOL_ERRORS + "&limit=1");

        assertThat(three).contains("\"limit\":3").contains("\"port\":23").contains("\"port\":2,");
        // A's port 23 (18, first in the source's order among the 18s)
        assertThat(one).contains("\"limit\":1", "\"order\":\"desc\"", "{\"switch\":\"" + A + "\",\"port\":23,")
                .doesNotContain("\"port\":2,");
        assertThat(ascending).contains("\"order\":\"asc\"", "\"value\":0}").doesNotContain("\"value\":18");
        // B's port 1 sends 7 packets, A's port 2 2,500: the highest
        assertThat(otherMetric).contains("\"metric\":\"" + PCK_IN + "\"", "\"port\":2,", "\"value\":2500");
        assertThat(switches).contains("\"switches\":[").doesNotContain("\"ports\":[");
        assertThat(handler.keptTopBodies()).isEqualTo(5);
    }

    @Test
    void aNewerSnapshotRanksItsOwnValuesNeverAnsweringWithTheOlderKeptList() {
        String older = csv();
        Snapshot first = publish(older);
        String before = topPorts("metric=" + SYMBOL_ERRORS + "&limit=1");
        // B's port 2 had no reading: now it has the highest
        Snapshot second = publish(older.replace(",2,spine-01,9,,1.5", ",2,spine-01,9,99,1.5"));

        String after = topPorts("metric=" + SYMBOL_ERRORS + "&limit=1");

        assertThat(before).contains("\"sequence\":" + first.sequence(), "\"port\":23,");
        assertThat(after).contains("\"sequence\":" + second.sequence(),
                "{\"switch\":\"" + B + "\",\"port\":2,\"description\":\"spine-01\",\"value\":99}");
        assertThat(handler.keptTopBodies()).isEqualTo(1);
    }

    @Test
    void theFirstRankingOfALargeFabricRunsOffTheCallersThreadASmallOneOnIt() {
        publish(csv());
        String caller = Thread.currentThread().getName();
        assertThat(handler.topPorts(request("/telemetry/TopPorts", "metric=" + SYMBOL_ERRORS))
                .map(response -> Thread.currentThread().getName()).block(Duration.ofSeconds(30))).isEqualTo(caller);

        StringBuilder large = new StringBuilder("timestamp,node_guid,port_num,node_description," + SYMBOL_ERRORS + "\n");
        int switches = TelemetryHandler.INLINE_RANKING_ROWS / 40 + 1;
        for (int s = 0; s < switches; s++) {
            String guid = String.format("0x%016x", 0x1000 + s);
            for (int p = 1; p <= 40; p++) {
                large.append("1765098000000000,").append(guid).append(',').append(p).append(",sw-").append(s)
                        .append(',').append(s * 40 + p).append('\n');
            }
        }
        publish(large.toString());

        String thread = handler.topPorts(request("/telemetry/TopPorts", "metric=" + SYMBOL_ERRORS))
                .map(response -> Thread.currentThread().getName()).block(Duration.ofSeconds(30));

        assertThat(thread).startsWith("boundedElastic-");
        assertThat(topPorts("metric=" + SYMBOL_ERRORS + "&limit=1")).contains("\"value\":" + switches * 40 + "}");
    }
}
