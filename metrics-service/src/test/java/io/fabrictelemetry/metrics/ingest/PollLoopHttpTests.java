package io.fabrictelemetry.metrics.ingest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.history.HistoryRecorder;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The real WebClient fetcher and poll loop against WireMock, in real time. */
class PollLoopHttpTests {

    @RegisterExtension
    static WireMockExtension generator = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final String CSV = "switch_id,latency_us,link_state\r\nsw-0001,1.5,1\r\nsw-0002,,0\r\n";
    private static final PollProperties FAST = new PollProperties(Duration.ofMillis(400), Duration.ofMillis(300),
            DataSize.ofMegabytes(1));

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final IngestionTracker tracker = new IngestionTracker();
    private final Scheduler work = Schedulers.newSingle("test-ingest");
    private Disposable running = () -> { };

    private @Nullable WebClientCountersFetcher fetcher;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    @AfterEach
    void stop() {
        running.dispose();
        work.dispose();
        if (fetcher != null) {
            fetcher.destroy();
        }
    }

    private void startPolling(PollProperties poll, int port) {
        startPolling(poll, new GeneratorProperties("127.0.0.1", port, null));
    }

    private void startPolling(PollProperties poll, GeneratorProperties target) {
        fetcher = new WebClientCountersFetcher(WebClient.builder(), target, poll);
        WebClientCountersFetcher real = fetcher;
        // counts fetches in flight, as PollLoopTests does in virtual time
        CountersFetcher counted = etag -> Mono.defer(() -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return real.fetch(etag);
        }).doFinally(signal -> inFlight.decrementAndGet());
        running = new PollLoop(counted, store, tracker, poll, target,
                new IngestMetrics(new SimpleMeterRegistry(), tracker, store, Clock.systemUTC()))
                .polls(Schedulers.parallel(), work).subscribe();
    }

    private void startPolling(PollProperties poll) {
        startPolling(poll, generator.getPort());
    }

    private static void serve(String csv, String etag) {
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv;charset=utf-8")
                .withHeader("ETag", etag)
                .withHeader("X-Sampled-At", "2026-11-28T10:00:00.000Z")
                .withBody(csv)));
    }

    private void awaitOutcome(PollOutcome outcome) {
        await().atMost(Duration.ofSeconds(10)).until(() -> tracker.status().lastOutcome() == outcome);
    }

    @Test
    void successfulPollPublishesTheSnapshot() {
        serve(CSV, "\"g-1\"");
        startPolling(FAST);
        awaitOutcome(PollOutcome.SUCCESS);

        Snapshot snapshot = store.current();
        assertThat(snapshot.switchCount()).isEqualTo(2);
        assertThat(snapshot.generatorEtag()).isEqualTo("\"g-1\"");
    }

    @Test
    void sourceAtAnyPathWithoutEtagsIsReadInFullOnEveryPoll() {
        // UFM Telemetry's endpoint: port rows at /csv/metrics, no ETag, no X-Sampled-At
        generator.stubFor(get("/csv/metrics").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv")
                .withBody("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,Infiniband_PckIn_u_Packets\n"
                        + "1709652347161873,ufm,,0x248a0703009d6c8e,0x248a0703009d6c8e,1,sw-13,5\n")));
        startPolling(FAST, new GeneratorProperties("127.0.0.1", 9001,
                java.net.URI.create("http://127.0.0.1:" + generator.getPort() + "/csv/metrics")));
        await().atMost(Duration.ofSeconds(30)).until(() -> store.current() != null && store.current().sequence() >= 3);

        Snapshot snapshot = store.current();
        assertThat(snapshot.generatorEtag()).isNull();
        assertThat(snapshot.ports().portCount()).isEqualTo(1);
        assertThat(snapshot.sampledAtText()).isEqualTo("2024-03-05T15:25:47.161Z"); // the row's timestamp
        List<ServeEvent> polls = generator.getAllServeEvents();
        assertThat(polls).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(poll -> {
                    assertThat(poll.getRequest().getUrl()).isEqualTo("/csv/metrics");
                    assertThat(poll.getRequest().containsHeader("If-None-Match")).isFalse();
                    assertThat(poll.getResponse().getStatus()).isEqualTo(200);
                });
    }

    @Test
    void notModifiedAnswerKeepsTheSnapshotAndRefreshesLastSuccess() {
        serve(CSV, "\"g-1\"");
        generator.stubFor(get("/counters").withHeader("If-None-Match", equalTo("\"g-1\""))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"g-1\"")));
        startPolling(FAST);
        awaitOutcome(PollOutcome.NOT_MODIFIED);

        assertThat(store.current().sequence()).isEqualTo(1);
        generator.verify(getRequestedFor(urlEqualTo("/counters")).withHeader("If-None-Match", equalTo("\"g-1\"")));
    }

    @Test
    void notModifiedAnswersAddNoHistoryPoint() {
        HistoryRecorder recorder = new HistoryRecorder(store,
                new HistoryProperties(Duration.ofDays(3650), DataSize.ofMegabytes(1)), new SimpleMeterRegistry(),
                Clock.systemUTC());
        recorder.start();
        try {
            serve(CSV, "\"g-1\"");
            generator.stubFor(get("/counters").withHeader("If-None-Match", equalTo("\"g-1\""))
                    .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"g-1\"")));
            startPolling(FAST);
            await().atMost(Duration.ofSeconds(10)).until(() -> generator.getAllServeEvents().size() >= 4);

            assertThat(recorder.query("sw-0001", "latency_us", Long.MIN_VALUE)).hasSize(1);
            assertThat(recorder.history().frames()).isEqualTo(1);
        } finally {
            recorder.stop();
        }
    }

    @Test
    void serverErrorKeepsTheLastSnapshotThenRecovers() {
        serve(CSV, "\"g-1\"");
        startPolling(FAST);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.current() != null);
        Snapshot good = store.current();

        generator.resetAll();
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(500).withBody("boom")));
        awaitOutcome(PollOutcome.HTTP_ERROR);
        assertThat(store.current()).isSameAs(good);
        assertThat(tracker.status().lastError()).contains("HTTP 500");

        serve(CSV.replace("1.5", "2.5"), "\"g-2\"");
        awaitOutcome(PollOutcome.SUCCESS);
        assertThat(store.current().sequence()).isEqualTo(2);
        assertThat(tracker.status().consecutiveFailures()).isZero();
    }

    @Test
    void generatorSlowerThanTheTimeoutNeverHasTwoRequestsInFlight() {
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(200).withBody(CSV)
                .withFixedDelay(2_000)));
        startPolling(FAST);
        await().atMost(Duration.ofSeconds(20)).until(() -> tracker.status().consecutiveFailures() >= 4);

        assertThat(tracker.status().lastOutcome()).isEqualTo(PollOutcome.TIMEOUT);
        assertThat(store.current()).isNull();
        // sequential polls: never two fetches in flight, however late a request reached the generator
        assertThat(maxInFlight.get()).isEqualTo(1);
        assertThat(generator.getAllServeEvents()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void bodyTricklingPastTheTimeoutIsCutEvenThoughBytesKeepArriving() {
        // 40 chunks over 4 s: a read every 100 ms, well inside a between-reads limit of 300 ms
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(200).withBody(CSV.repeat(20))
                .withChunkedDribbleDelay(40, 4_000)));
        startPolling(FAST);
        awaitOutcome(PollOutcome.TIMEOUT);
        assertThat(store.current()).isNull();
        assertThat(tracker.status().lastPollDuration()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void announcedBodyOverTheLimitIsRejectedWithoutReadingIt() {
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv").withBody(CSV + "x".repeat(5_000))));
        startPolling(new PollProperties(Duration.ofMillis(400), Duration.ofMillis(300), DataSize.ofKilobytes(2)));
        awaitOutcome(PollOutcome.TOO_LARGE);
        assertThat(store.current()).isNull();
    }

    @Test
    void streamedBodyOverTheLimitIsRejectedWhileReading() {
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv").withBody(CSV + "x".repeat(5_000))
                .withChunkedDribbleDelay(5, 50)));
        startPolling(new PollProperties(Duration.ofMillis(400), Duration.ofMillis(300), DataSize.ofKilobytes(2)));
        awaitOutcome(PollOutcome.TOO_LARGE);
        assertThat(store.current()).isNull();
    }

    @Test
    void htmlContentTypeIsRejectedAsNotCsv() {
        generator.stubFor(get("/counters").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html>proxy error</html>")));
        startPolling(FAST);
        awaitOutcome(PollOutcome.PARSE_ERROR);
        assertThat(tracker.status().lastError()).contains("text/html");
    }

    @Test
    void refusedConnectionIsAConnectError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        startPolling(FAST, closedPort);
        awaitOutcome(PollOutcome.CONNECT_ERROR);
        assertThat(store.current()).isNull();
    }
}
