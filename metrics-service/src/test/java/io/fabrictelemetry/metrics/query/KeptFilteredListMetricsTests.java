package io.fabrictelemetry.metrics.query;

import static io.fabrictelemetry.metrics.query.PortFabric.A;
import static io.fabrictelemetry.metrics.query.PortFabric.B;
import static io.fabrictelemetry.metrics.query.PortFabric.CBW;
import static io.fabrictelemetry.metrics.query.PortFabric.PCK_IN;
import static io.fabrictelemetry.metrics.query.PortFabric.SYMBOL_ERRORS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.util.UriComponentsBuilder;

import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.body.Bodies;
import io.fabrictelemetry.metrics.body.Gzip;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * A filtered ListMetrics (a one-switch body with its ports, the dashboard's switch detail) is
 * encoded once per snapshot and representation, then served as it was encoded to every request
 * for that snapshot: the same bytes an encoding per request gives, the same ETag; gzip alike,
 * compressed once; a newer snapshot answers with its own body, never the older one's. The
 * handler's encoding and compression are its seams: they count.
 */
class KeptFilteredListMetricsTests {

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)));
    private final AtomicInteger encodings = new AtomicInteger();
    private final AtomicInteger compressions = new AtomicInteger();
    private final TelemetryHandler handler = new TelemetryHandler(
            new SnapshotAnswers(store, new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500),
                    DataSize.ofMegabytes(64)), Clock.systemUTC()),
            body -> {
                compressions.incrementAndGet();
                return Gzip.compress(body);
            },
            selection -> {
                encodings.incrementAndGet();
                return selection.body();
            });

    private record Written(byte[] body, HttpHeaders headers) {
    }

    /** A ListMetrics request answered and written, as the server writes it. */
    private Written request(String query, boolean gzip) {
        MockServerRequest.Builder request = MockServerRequest.builder()
                .uri(URI.create("http://localhost/telemetry/ListMetrics?" + query));
        MockServerHttpRequest.BaseBuilder<?> exchangeRequest = MockServerHttpRequest.get("/telemetry/ListMetrics?" + query);
        if (gzip) {
            request.header(HttpHeaders.ACCEPT_ENCODING, "gzip");
            exchangeRequest.header(HttpHeaders.ACCEPT_ENCODING, "gzip");
        }
        ServerResponse response = handler.listMetrics(request.build()).block(Duration.ofSeconds(30));
        MockServerWebExchange exchange = MockServerWebExchange.from(exchangeRequest);
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
        byte[] body = DataBufferUtils.join(exchange.getResponse().getBody()).map(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            return bytes;
        }).defaultIfEmpty(new byte[0]).block(Duration.ofSeconds(30));
        return new Written(body, exchange.getResponse().getHeaders());
    }

    /** The body an encoding per request gives: the selection's own encoder, for this snapshot. */
    private static byte[] encodedNow(Snapshot snapshot, String query) {
        ListMetricsFilter filter = ListMetricsFilter.parse(
                UriComponentsBuilder.fromUriString("/x?" + query).build().getQueryParams());
        return Bodies.toArray(filter.select(snapshot).body());
    }

    private static Snapshot publish(SnapshotStore store, String csv) {
        Instant sampledAt = Instant.now().minusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        return store.publish(PortFabric.table(csv), sampledAt, Instant.now(), null);
    }

    private static String csv() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return PortFabric.csv(now, now.minusSeconds(60));
    }

    @Test
    void oneSwitchWithItsPortsIsEncodedOnceForManyRequestsOfOneSnapshotAndServedByteForByte() {
        Snapshot snapshot = publish(store, csv());

        Written first = request("switch=" + A, false);
        Written second = request("switch=" + A, false);
        Written third = request("switch=" + A, false);

        assertThat(encodings).hasValue(1);
        byte[] expected = encodedNow(snapshot, "switch=" + A);
        assertThat(first.body()).isEqualTo(expected);
        assertThat(second.body()).isEqualTo(expected);
        assertThat(third.body()).isEqualTo(expected);
        assertThat(new String(expected, StandardCharsets.UTF_8)).contains("\"ports\":{\"" + A + "\":{");
        assertThat(second.headers().getETag()).isEqualTo(first.headers().getETag());
        assertThat(second.headers().getFirst(HttpHeaders.VARY)).isEqualTo(HttpHeaders.ACCEPT_ENCODING);
        assertThat(second.headers().getFirst(HttpHeaders.CONTENT_ENCODING)).isNull();
    }

    @Test
    void eachSelectionKeepsItsOwnBody() {
        Snapshot snapshot = publish(store, csv());

        Written a = request("switch=" + A, false);
        Written b = request("switch=" + B, false);
        Written aAgain = request("switch=" + A, false);
        Written bNoPorts = request("switch=" + B + "&ports=false", false);

        assertThat(encodings).hasValue(3);
        assertThat(a.body()).isEqualTo(encodedNow(snapshot, "switch=" + A));
        assertThat(aAgain.body()).isEqualTo(a.body());
        assertThat(b.body()).isEqualTo(encodedNow(snapshot, "switch=" + B));
        assertThat(bNoPorts.body()).isEqualTo(encodedNow(snapshot, "switch=" + B + "&ports=false"));
    }

    @Test
    void aNewerSnapshotAnswersWithItsOwnBodyNeverTheOlderOnesKeptBody() {
        String older = csv();
        publish(store, older);
        Written before = request("switch=" + A, false);
        // the same switches and ports, other values: the same selection, another body
        Snapshot newer = publish(store, older.replace(",1,leaf-01,1000,", ",1,leaf-01,4321,"));

        Written after = request("switch=" + A, false);

        assertThat(encodings).hasValue(2);
        assertThat(after.body()).isEqualTo(encodedNow(newer, "switch=" + A)).isNotEqualTo(before.body());
        assertThat(new String(after.body(), StandardCharsets.UTF_8)).contains("4321");
        assertThat(after.headers().getETag()).isNotEqualTo(before.headers().getETag());
    }

    @Test
    void theGzipVariantIsCompressedOnceAndHoldsTheSameBytes() throws IOException {
        Snapshot snapshot = publish(store, csv());

        Written first = request("switch=" + A, true);
        Written second = request("switch=" + A, true);

        assertThat(compressions).hasValue(1);
        assertThat(second.headers().getFirst(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
        assertThat(first.headers().getFirst(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
        assertThat(second.headers().getETag()).isEqualTo(first.headers().getETag()).endsWith("-gzip\"");
        byte[] expected = encodedNow(snapshot, "switch=" + A);
        assertThat(gunzip(first.body())).isEqualTo(expected);
        assertThat(gunzip(second.body())).isEqualTo(expected);
        // the identity representation is another body, with its own ETag
        Written identity = request("switch=" + A, false);
        assertThat(identity.body()).isEqualTo(expected);
        assertThat(identity.headers().getETag()).isNotEqualTo(first.headers().getETag());
    }

    @Test
    void theServicesKeptGzipBodyIsSmallerThanTheFastestLevelsAndHoldsTheSameBytes() throws IOException {
        // the handler as the application builds it: its own compressions, not the counting seam
        TelemetryHandler service = new TelemetryHandler(new SnapshotAnswers(store, new PollProperties(Duration.ofSeconds(2),
                Duration.ofMillis(1500), DataSize.ofMegabytes(64)), Clock.systemUTC()));
        // one switch of 40 ports with varied counters: a body that compresses like the simulator's
        StringBuilder csv = new StringBuilder("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
                + PCK_IN + "," + SYMBOL_ERRORS + "," + CBW + "\n");
        String now = Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
        java.util.Random random = new java.util.Random(7);
        for (int port = 1; port <= 40; port++) {
            csv.append(now).append(",10.0.0.1,,").append(A).append(',').append(A).append(',').append(port)
                    .append(",leaf-01,").append(random.nextInt(1_000_000_000)).append(',').append(random.nextInt(50))
                    .append(',').append(random.nextInt(100_000) / 1000.0).append('\n');
        }
        Snapshot snapshot = publish(store, csv.toString());
        byte[] expected = encodedNow(snapshot, "switch=" + A);

        byte[] kept = gzipRequest(service, "switch=" + A);
        byte[] keptAgain = gzipRequest(service, "switch=" + A);

        assertThat(gunzip(kept)).isEqualTo(expected);
        assertThat(keptAgain).isEqualTo(kept);
        assertThat(kept.length).isLessThan(Gzip.compress(expected).length);
    }

    /** A gzip ListMetrics body as {@code handler} writes it. */
    private static byte[] gzipRequest(TelemetryHandler handler, String query) {
        ServerResponse response = handler.listMetrics(MockServerRequest.builder()
                .uri(URI.create("http://localhost/telemetry/ListMetrics?" + query))
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip").build()).block(Duration.ofSeconds(30));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/telemetry/ListMetrics?" + query)
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip"));
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
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
        return DataBufferUtils.join(exchange.getResponse().getBody()).map(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            return bytes;
        }).block(Duration.ofSeconds(30));
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
