package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The stream over real HTTP and real sockets: events, filters, keepalive, the client limit, and a
 * client that never reads while fifty others keep up.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "stream.keepalive=400ms", "stream.max-clients=55",
        "stream.write-timeout=4s"})
class StreamHttpTests {

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

    @Autowired
    MeterRegistry registry;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void noStreamLeftOpen() {
        await().atMost(Duration.ofSeconds(20)).until(() -> stream.clients() == 0);
    }

    Snapshot publish(int switches, long base) {
        List<String> ids = new ArrayList<>();
        long[] cells = new long[switches * 2];
        byte[] kinds = new byte[switches * 2];
        for (int i = 0; i < switches; i++) {
            ids.add(String.format("sw-%05d", i));
            cells[2 * i] = base + i;
            kinds[2 * i] = CellKind.INTEGER;
            cells[2 * i + 1] = Double.doubleToRawLongBits(i / 100.0);
            kinds[2 * i + 1] = CellKind.DECIMAL;
        }
        Instant now = Instant.now();
        return store.publish(Table.of(List.of("packet_errors", "latency_us"), ids, cells, kinds, 0, 0), now, now, null);
    }

    /** A client reading the stream line by line on a thread of its own, recording event ids and comments. */
    final class Reader implements AutoCloseable {
        final List<Long> ids = new CopyOnWriteArrayList<>();
        final List<String> data = new CopyOnWriteArrayList<>();
        final AtomicInteger keepalives = new AtomicInteger();
        final Thread thread;
        volatile Stream<String> lines;

        Reader(String query) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/telemetry/stream" + query))
                    .header("Accept", "text/event-stream").build();
            thread = new Thread(() -> {
                try {
                    HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                    lines = response.body();
                    lines.forEach(line -> {
                        if (line.startsWith("id: ")) {
                            ids.add(Long.parseLong(line.substring(4)));
                        } else if (line.startsWith("data: ")) {
                            data.add(line.substring(6));
                        } else if (line.equals(": keepalive")) {
                            keepalives.incrementAndGet();
                        }
                    });
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // closed by the test
                }
            }, "stream-reader");
            thread.setDaemon(true);
            thread.start();
        }

        long last() {
            return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
        }

        @Override
        public void close() {
            if (lines != null) {
                lines.close();
            }
            thread.interrupt();
        }
    }

    @Test
    void firstEventIsTheCurrentSnapshotAndEachNewSnapshotIsTheNextEvent() throws Exception {
        Snapshot first = publish(3, 0);
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/telemetry/stream")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        try (Stream<String> lines = response.body()) {
            var iterator = lines.filter(line -> !line.startsWith(":")).iterator();
            assertThat(iterator.next()).isEqualTo("event: snapshot");
            assertThat(iterator.next()).isEqualTo("id: " + first.sequence());
            assertThat(iterator.next()).isEqualTo("data: " + new String(first.listMetricsJson(), StandardCharsets.UTF_8));
            assertThat(iterator.next()).isEmpty();
            Snapshot second = publish(3, 100);
            assertThat(iterator.next()).isEqualTo("event: snapshot");
            assertThat(iterator.next()).isEqualTo("id: " + second.sequence());
            assertThat(iterator.next()).isEqualTo("data: " + new String(second.listMetricsJson(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void filteredStreamCarriesTheFilteredListMetricsAndKeepalivesWhileIdle() {
        publish(3, 0);
        try (Reader reader = new Reader("?switch=sw-00002&metric=latency_us")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.data.size() == 1);
            assertThat(reader.data.get(0)).contains("\"metrics\":[\"latency_us\"]",
                    "\"switches\":{\"sw-00002\":{\"latency_us\":0.02}}").doesNotContain("sw-00001");
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.keepalives.get() >= 2);
        }
    }

    @Test
    void invalidFiltersAreRefusedBeforeTheStreamStarts() throws Exception {
        publish(3, 0);
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/telemetry/stream?switch=sw-nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("urn:fabric-telemetry:problem:unknown-switch");
        HttpResponse<String> empty = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/telemetry/stream?metric=")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(stream.clients()).isZero();
    }

    @Test
    void oneClientMoreThanTheLimitGetsServiceUnavailableWithRetryAfter() throws Exception {
        publish(3, 0);
        List<Reader> readers = new ArrayList<>();
        try {
            for (int i = 0; i < 55; i++) {
                readers.add(new Reader(""));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.clients() == 55);
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/telemetry/stream")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("urn:fabric-telemetry:problem:too-many-streams");
            assertThat(registry.get("fabric.stream.clients").gauge().value()).isEqualTo(55);
        } finally {
            readers.forEach(Reader::close);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> stream.clients() == 0);
    }

    @Test
    void aClientThatNeverReadsCostsAtMostOneSnapshotWhileFiftyOthersGetEveryEvent() throws Exception {
        publish(3000, 0);
        double droppedBefore = registry.get("fabric.stream.events.dropped").counter().count();
        List<Reader> readers = new ArrayList<>();
        try (Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            OutputStream out = stuck.getOutputStream();
            out.write("GET /telemetry/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 50; i++) {
                readers.add(new Reader(""));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.clients() == 51);
            long start = store.current().sequence();
            await().atMost(Duration.ofSeconds(30)).until(() -> readers.stream().allMatch(r -> r.last() == start));

            List<WeakReference<Snapshot>> published = new ArrayList<>();
            for (int k = 1; k <= 25; k++) {
                Snapshot snapshot = publish(3000, k * 10_000L);
                published.add(new WeakReference<>(snapshot));
                long sequence = snapshot.sequence();
                snapshot = null;
                await().atMost(Duration.ofSeconds(30)).until(() -> readers.stream().allMatch(r -> r.last() == sequence));
            }
            for (Reader reader : readers) {
                assertThat(reader.ids).as("every snapshot, in order").containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(start, start + 25).boxed().toList());
            }
            // the stuck client took little, skipped the rest, and holds at most its one pending snapshot
            assertThat(registry.get("fabric.stream.events.dropped").counter().count() - droppedBefore).isPositive();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                System.gc();
                long alive = published.stream().filter(ref -> ref.get() != null).count();
                assertThat(alive).as("published snapshots still reachable").isLessThanOrEqualTo(2);
            });
            // and it is cut once it has taken nothing for the write timeout
            await().atMost(Duration.ofSeconds(20)).until(() -> stream.clients() == 50);
        } finally {
            readers.forEach(Reader::close);
        }
    }
}
