package io.fabrictelemetry.metrics.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every way the generator can fail, each as a real HTTP exchange: the poll fails with the right
 * outcome, the last good snapshot stays exactly as it was (so the API keeps answering from it), the
 * ingestion status says what happened, and the next good poll restores freshness. Polls are driven
 * one at a time, so nothing here depends on timing but the timeout cases' own limit.
 */
@ExtendWith(OutputCaptureExtension.class)
class GeneratorFaultMatrixTests {

    private static final String CSV = "switch_id,latency_us,link_state\r\nsw-0001,1.5,1\r\nsw-0002,,0\r\n";
    private static final PollProperties POLL = new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(500),
            DataSize.ofKilobytes(16));

    private final WireMockServer generator = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final IngestionTracker tracker = new IngestionTracker();
    private final Scheduler work = Schedulers.newSingle("fault-matrix");
    private final List<WebClientCountersFetcher> fetchers = new ArrayList<>();

    private static boolean warmedUp;

    @BeforeEach
    void start() {
        generator.start();
        warmUpOnce();
    }

    /**
     * The first exchange of a cold JVM (Netty, WebClient, codecs) can take longer than the 500 ms
     * poll timeout on a loaded machine; the cases below are about the generator, not about that.
     */
    private void warmUpOnce() {
        if (warmedUp) {
            return;
        }
        warmedUp = true;
        serve(good("\"warm-up\""));
        IngestionTracker spareTracker = new IngestionTracker();
        SnapshotStore spareStore = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        GeneratorProperties target = new GeneratorProperties("127.0.0.1", generator.port(), null);
        PollProperties patient = new PollProperties(Duration.ofSeconds(20), Duration.ofSeconds(10), POLL.maxBytes());
        WebClientCountersFetcher fetcher = new WebClientCountersFetcher(WebClient.builder(), target, patient);
        new PollLoop(fetcher, spareStore, spareTracker, patient, target, new IngestMetrics(new SimpleMeterRegistry(),
                spareTracker, spareStore, Clock.systemUTC())).pollOnce(Schedulers.parallel(), work)
                .block(Duration.ofSeconds(15));
        fetcher.destroy();
        generator.resetAll();
    }

    @AfterEach
    void stop() {
        generator.stop();
        work.dispose();
        fetchers.forEach(WebClientCountersFetcher::destroy);
    }

    private PollLoop loopTo(String host, int port) {
        GeneratorProperties target = new GeneratorProperties(host, port, null);
        WebClientCountersFetcher fetcher = new WebClientCountersFetcher(WebClient.builder(), target, POLL);
        fetchers.add(fetcher);
        return new PollLoop(fetcher, store, tracker, POLL,
                target, new IngestMetrics(new SimpleMeterRegistry(), tracker, store, Clock.systemUTC()));
    }

    private PollOutcome pollOnce(PollLoop loop) {
        return loop.pollOnce(Schedulers.parallel(), work).block(Duration.ofSeconds(10));
    }

    private void serve(ResponseDefinitionBuilder response) {
        generator.resetAll();
        generator.stubFor(get("/counters").willReturn(response));
    }

    private static ResponseDefinitionBuilder good(String etag) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/csv;charset=utf-8")
                .withHeader("ETag", etag).withBody(CSV);
    }

    static Stream<Arguments> faults() {
        byte[] noise = new byte[2048];
        new Random(7).nextBytes(noise);
        return Stream.of(
                Arguments.of("500", aResponse().withStatus(500).withBody("boom"), Set.of(PollOutcome.HTTP_ERROR)),
                Arguments.of("503", aResponse().withStatus(503).withHeader("Retry-After", "5"),
                        Set.of(PollOutcome.HTTP_ERROR)),
                Arguments.of("404", aResponse().withStatus(404), Set.of(PollOutcome.HTTP_ERROR)),
                Arguments.of("redirect", aResponse().withStatus(302).withHeader("Location", "/elsewhere"),
                        Set.of(PollOutcome.HTTP_ERROR)),
                Arguments.of("200 with an HTML page", aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/html").withBody("<html>Bad gateway</html>"),
                        Set.of(PollOutcome.PARSE_ERROR)),
                Arguments.of("200 with JSON", aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("{\"switch_id\":1}"),
                        Set.of(PollOutcome.PARSE_ERROR)),
                Arguments.of("200 with HTML served as CSV", aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/csv").withBody("<html>oops</html>"),
                        Set.of(PollOutcome.PARSE_ERROR)),
                Arguments.of("empty body", aResponse().withStatus(200).withHeader("Content-Type", "text/csv"),
                        Set.of(PollOutcome.PARSE_ERROR)),
                Arguments.of("header only", aResponse().withStatus(200).withHeader("Content-Type", "text/csv")
                        .withBody("switch_id,latency_us\r\n"), Set.of(PollOutcome.PARSE_ERROR)),
                Arguments.of("random bytes as CSV", aResponse().withStatus(200).withHeader("Content-Type", "text/csv")
                        .withBody(noise), Set.of(PollOutcome.PARSE_ERROR)),
                Arguments.of("random bytes instead of HTTP", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE),
                        Set.of(PollOutcome.IO_ERROR)),
                Arguments.of("empty response, connection closed", aResponse().withFault(Fault.EMPTY_RESPONSE),
                        Set.of(PollOutcome.IO_ERROR)),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                        Set.of(PollOutcome.IO_ERROR)),
                Arguments.of("malformed chunk mid-body", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
                        Set.of(PollOutcome.IO_ERROR)),
                Arguments.of("response that never starts", good("\"g-2\"").withFixedDelay(5_000),
                        Set.of(PollOutcome.TIMEOUT)),
                Arguments.of("body trickling past the timeout", good("\"g-2\"").withBody(CSV.repeat(30))
                        .withChunkedDribbleDelay(30, 5_000), Set.of(PollOutcome.TIMEOUT)),
                Arguments.of("body over poll.max-bytes", aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/csv").withBody(CSV + "x".repeat(20_000)),
                        Set.of(PollOutcome.TOO_LARGE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void failedPollKeepsTheSnapshotSaysWhyAndTheNextGoodPollRestoresFreshness(String name,
            ResponseDefinitionBuilder fault, Set<PollOutcome> expected) {
        PollLoop loop = loopTo("127.0.0.1", generator.port());
        serve(good("\"g-1\""));
        // setup, not under test: the first poll of a cold JVM on a loaded machine may exceed 500 ms
        await().atMost(Duration.ofSeconds(10)).until(() -> pollOnce(loop) == PollOutcome.SUCCESS);
        Snapshot good = store.current();

        serve(fault);
        assertThat(pollOnce(loop)).isIn(expected);
        assertThat(store.current()).isSameAs(good);
        assertThat(tracker.status().consecutiveFailures()).isEqualTo(1);
        assertThat(tracker.status().lastError()).isNotBlank();

        serve(good("\"g-3\""));
        assertThat(pollOnce(loop)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-3\"");
        assertThat(tracker.status().consecutiveFailures()).isZero();
    }

    @Test
    void bodyCutShortBeforeItsContentLengthIsAnIoError() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 5000\r\n\r\n";
        try (OneShotServer server = new OneShotServer((head + CSV).getBytes(StandardCharsets.US_ASCII))) {
            assertThat(pollOnce(loopTo("127.0.0.1", server.port()))).isEqualTo(PollOutcome.IO_ERROR);
        }
        assertThat(store.current()).isNull();
    }

    @Test
    void bodyCutMidRowWithoutContentLengthIsRejectedRowNotAFakeValue() throws Exception {
        // connection closed in the middle of a row: the last row has too few cells and is skipped
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\n"
                + "switch_id,latency_us,link_state\r\nsw-0001,1.5,1\r\nsw-0002,2.";
        try (OneShotServer server = new OneShotServer(response.getBytes(StandardCharsets.US_ASCII))) {
            assertThat(pollOnce(loopTo("127.0.0.1", server.port()))).isEqualTo(PollOutcome.SUCCESS);
        }
        assertThat(store.current().switchRow("sw-0002")).isEqualTo(-1);
        assertThat(store.current().rejectedRows()).isEqualTo(1);
    }

    @Test
    void bodyCutInsideTheLastCellWithoutContentLengthCarriesTheSwitchOverNeverAWrongValue() throws Exception {
        store.publish(Table.of(List.of("latency_us", "packet_errors"), List.of("sw-0001", "sw-0002"),
                new long[] {1, 10, 2, 1234}, new byte[] {CellKind.INTEGER, CellKind.INTEGER, CellKind.INTEGER,
                        CellKind.INTEGER}, 0, 0), Instant.now(), Instant.now(), null);
        // every cell of the last row arrived, but its last one is cut: 1240 became 12
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nConnection: close\r\n\r\n"
                + "switch_id,latency_us,packet_errors\r\nsw-0001,1,11\r\nsw-0002,2,12";
        try (OneShotServer server = new OneShotServer(response.getBytes(StandardCharsets.US_ASCII))) {
            assertThat(pollOnce(loopTo("127.0.0.1", server.port()))).isEqualTo(PollOutcome.SUCCESS);
        }
        Snapshot snapshot = store.current();
        assertThat(snapshot.numericValue(snapshot.switchRow("sw-0001"), 1)).isEqualTo(11);
        assertThat(snapshot.numericValue(snapshot.switchRow("sw-0002"), 1)).isEqualTo(1234);
        assertThat(snapshot.carriedOver()).containsOnlyKeys("sw-0002");
        assertThat(snapshot.rejectedRows()).isEqualTo(1);
    }

    @Test
    void refusedConnectionIsAConnectError() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(pollOnce(loopTo("127.0.0.1", closed))).isEqualTo(PollOutcome.CONNECT_ERROR);
        assertThat(tracker.status().lastError()).contains("Connection refused");
    }

    @Test
    void hostThatDoesNotResolveFailsThePollWithinTheTimeout() {
        long start = System.nanoTime();
        PollOutcome outcome = pollOnce(loopTo("generator.invalid", 9001));
        // a resolver that answers says NXDOMAIN (connect_error); one that cannot be reached times out
        assertThat(outcome).isIn(PollOutcome.CONNECT_ERROR, PollOutcome.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(tracker.status().lastError()).isNotBlank();
    }

    @Test
    void connectThatHangsIsCutAtTheTimeout() throws Exception {
        // a listener whose accept queue is full: the kernel drops further SYNs, as a black hole would
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(filler);
                    } catch (IOException queueFull) {
                        filler.close();
                        break;
                    }
                }
                PollOutcome outcome = pollOnce(loopTo("127.0.0.1", full.getLocalPort()));
                assertThat(outcome).isIn(PollOutcome.CONNECT_ERROR, PollOutcome.TIMEOUT);
                assertThat(tracker.status().lastPollDuration()).isLessThan(Duration.ofSeconds(3));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void restartedGeneratorIsPolledSuccessfullyAtOnceAndItsNewCountersReplaceTheOld() {
        int port = generator.port();
        PollLoop loop = loopTo("127.0.0.1", port);
        serve(good("\"boot-a-7\"").withBody("switch_id,packet_errors\r\nsw-0001,900\r\n"));
        assertThat(pollOnce(loop)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(pollOnce(loop)).isEqualTo(PollOutcome.SUCCESS); // the pooled connection is now warm

        generator.stop();
        WireMockServer restarted = new WireMockServer(wireMockConfig().port(port).bindAddress("127.0.0.1"));
        restarted.start();
        try {
            restarted.stubFor(get("/counters").willReturn(good("\"boot-b-1\"")
                    .withBody("switch_id,packet_errors\r\nsw-0001,3\r\n")));
            // the pooled connection to the dead process must not cost a failed poll
            assertThat(pollOnce(loop)).isEqualTo(PollOutcome.SUCCESS);
            assertThat(store.current().generatorEtag()).isEqualTo("\"boot-b-1\"");
            assertThat(store.current().numericValue(0, 0)).isEqualTo(3);
            assertThat(tracker.status().consecutiveFailures()).isZero();
        } finally {
            restarted.stop();
        }
    }

    @Test
    void firstFailureIsLoggedAtWarnRepeatsAreQuietAndRecoveryIsLoggedWithTheOutage(CapturedOutput output) {
        PollLoop loop = loopTo("127.0.0.1", generator.port());
        serve(good("\"g-1\""));
        pollOnce(loop);
        serve(aResponse().withStatus(500));
        pollOnce(loop);
        pollOnce(loop);
        pollOnce(loop);
        serve(good("\"g-2\""));
        pollOnce(loop);

        // the console appender is asynchronous: wait for the recovery line to be written
        java.util.regex.Pattern recovery = java.util.regex.Pattern.compile(
                "INFO .*recovered after PT[0-9.]+S \\(3 failed polls\\)");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> recovery.matcher(output.getAll()).find());
        // this test's generator only: the asynchronous appender may still write an earlier test's line here
        String ours = "127.0.0.1:" + generator.port() + "/";
        assertThat(output.getAll().lines()
                .filter(line -> line.contains(ours) && line.contains("WARN") && line.contains("failed (http_error)")))
                .hasSize(1);
    }

    /** Accepts one connection, reads the request head, writes the canned bytes and closes. */
    static final class OneShotServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread thread;

        OneShotServer(byte[] response) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                try (Socket client = socket.accept()) {
                    InputStream in = client.getInputStream();
                    int matched = 0;
                    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                    while (matched < 4) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                    }
                    OutputStream out = client.getOutputStream();
                    out.write(response);
                    out.flush();
                } catch (IOException ignored) {
                    // the test asserts on what the client saw
                }
            }, "one-shot-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
