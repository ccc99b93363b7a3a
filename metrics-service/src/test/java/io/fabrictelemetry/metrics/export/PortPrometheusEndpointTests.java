package io.fabrictelemetry.metrics.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.api.RealServerHttp;
import io.fabrictelemetry.metrics.ingest.CsvPayloads;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/**
 * {@code GET /telemetry/prometheus} on port rows, on the real server (Reactor Netty): gzip to a
 * client that takes it, under an ETag of its own, the text otherwise, both with their length; HEAD
 * without a body. The service's default counters (UFM's globs). Saves the export for promtool and
 * the dashboard check of {@code .ci/run} ({@code target/fabric-export-ports.prom}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "server.address=127.0.0.1",
        // a context of its own: the snapshot of port rows it publishes must not reach the other
        // real-server tests, which share a context of the same settings and expect switch rows
        "test.context=port-prometheus-endpoint"})
class PortPrometheusEndpointTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    SnapshotStore store;

    Snapshot snapshot;

    @BeforeEach
    void publishPortRows() {
        snapshot = store.publish(CsvPayloads.parse(PortExpositionTests.ufmCsv().getBytes(StandardCharsets.UTF_8), null),
                Instant.now(), Instant.now(), null);
    }

    private HttpResponse<byte[]> send(String method, String... headers) throws Exception {
        return RealServerHttp.send(port, method, "/telemetry/prometheus", HttpResponse.BodyHandlers.ofByteArray(), headers);
    }

    private static String gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void prometheusScrapeGetsTheGzipUnderItsOwnEtagAndAnyOtherClientTheText() throws Exception {
        HttpResponse<byte[]> gzip = send("GET", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> text = send("GET");

        assertThat(gzip.statusCode()).isEqualTo(200);
        assertThat(gzip.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain;version=0.0.4"));
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzip.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(gzip.headers().firstValueAsLong("Content-Length")).hasValue(gzip.body().length);
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(text.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(text.headers().firstValueAsLong("Content-Length")).hasValue(text.body().length);
        String body = new String(text.body(), StandardCharsets.UTF_8);
        assertThat(gunzip(gzip.body())).isEqualTo(body);
        assertThat(body).contains("fabric_port_infiniband_symbol_errors_total{switch=\"" + PortExpositionTests.LEAF
                + "\",port=\"1\",description=\"leaf-01\"} 14\n");

        String gzipTag = gzip.headers().firstValue("ETag").orElseThrow();
        String textTag = text.headers().firstValue("ETag").orElseThrow();
        assertThat(textTag).isEqualTo(snapshot.etag());
        assertThat(gzipTag).isNotEqualTo(textTag);
        assertThat(send("GET", "Accept-Encoding", "gzip", "If-None-Match", gzipTag).statusCode()).isEqualTo(304);
        assertThat(send("GET", "If-None-Match", textTag).statusCode()).isEqualTo(304);
        assertThat(send("GET", "If-None-Match", gzipTag).statusCode()).isEqualTo(200);
        assertThat(send("GET", "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding")).isEmpty();

        // .ci/run: promtool check metrics, and the dashboard and alert expressions' series
        Files.writeString(Path.of("target", "fabric-export-ports.prom"), body);
    }

    @Test
    void switchRowsAreExportedAsBeforeWhatEverTheClientAccepts() throws Exception {
        store.publish(FabricExporterTests.knownTable(), Instant.now(), Instant.now(), null);
        for (String[] headers : new String[][] {{}, {"Accept-Encoding", "gzip"}}) {
            HttpResponse<byte[]> answer = send("GET", headers);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(answer.headers().firstValue("Vary")).isEmpty();
            assertThat(answer.headers().firstValue("ETag")).hasValue(store.current().etag());
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(FabricExporterTests.KNOWN_SNAPSHOT_EXPORT);
        }
    }

    @Test
    void headStatesTheLengthOfEitherBodyAndSendsNone() throws Exception {
        for (String[] headers : new String[][] {{}, {"Accept-Encoding", "gzip"}}) {
            HttpResponse<byte[]> get = send("GET", headers);
            HttpResponse<byte[]> head = send("HEAD", headers);

            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length);
            assertThat(head.headers().firstValue("Content-Encoding")).isEqualTo(get.headers().firstValue("Content-Encoding"));
            assertThat(head.headers().firstValue("ETag")).isEqualTo(get.headers().firstValue("ETag"));
            assertThat(head.body()).isEmpty();
        }
    }
}
