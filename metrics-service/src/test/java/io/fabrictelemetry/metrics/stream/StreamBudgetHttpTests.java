package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.stream.LongStream;
import java.util.stream.Stream;

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
 * {@code stream.max-pending-bytes} over real connections: with a budget of one byte, a client that
 * stops reading is cut at the next snapshot (long before its write timeout), while clients that
 * keep up are never counted (Netty released what they were sent once it wrote it) and get every
 * event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "stream.keepalive=1h", "stream.write-timeout=1h",
        "stream.max-pending-bytes=1B"})
class StreamBudgetHttpTests {

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

    Snapshot publish(int switches, long base) {
        List<String> ids = new ArrayList<>();
        long[] cells = new long[switches];
        byte[] kinds = new byte[switches];
        for (int i = 0; i < switches; i++) {
            ids.add(String.format("sw-%05d", i));
            cells[i] = base + i;
            kinds[i] = CellKind.INTEGER;
        }
        Instant now = Instant.now();
        return store.publish(Table.of(List.of("packet_errors"), ids, cells, kinds, 0, 0), now, now, null);
    }

    double cutForPendingBytes() {
        return registry.get("fabric.stream.clients.cut").tag("reason", "max_pending_bytes").counter().count();
    }

    @Test
    void aClientThatStopsReadingIsCutAtTheNextSnapshotWhileClientsThatKeepUpAreNeverCounted() throws Exception {
        int switches = 20_000; // a body of hundreds of KB: more than a stopped reader's socket buffers take
        publish(switches, 0);
        List<List<Long>> seen = new ArrayList<>();
        List<Stream<String>> bodies = new ArrayList<>();
        try (Socket stuck = new Socket()) {
            for (int i = 0; i < 5; i++) {
                List<Long> ids = new CopyOnWriteArrayList<>();
                seen.add(ids);
                HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/telemetry/stream")).build(),
                        HttpResponse.BodyHandlers.ofLines());
                bodies.add(response.body());
                Thread reader = new Thread(() -> {
                    try {
                        response.body().filter(line -> line.startsWith("id: "))
                                .forEach(line -> ids.add(Long.parseLong(line.substring(4))));
                    } catch (RuntimeException closed) {
                        // closed by the test
                    }
                }, "stream-reader-" + i);
                reader.setDaemon(true);
                reader.start();
            }
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            OutputStream out = stuck.getOutputStream();
            out.write("GET /telemetry/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.clients() == 6);
            long first = store.current().sequence();
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().allMatch(ids -> ids.contains(first)));

            for (int k = 1; k <= 5; k++) {
                long sequence = publish(switches, k * 100_000L).sequence();
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().allMatch(ids -> ids.contains(sequence)));
            }

            // the stopped reader held an older snapshot's event: cut at once, not after the 1 h write timeout
            assertThat(stream.clients()).isEqualTo(5);
            assertThat(cutForPendingBytes()).as("clients cut for the budget: the stopped reader only").isEqualTo(1);
            for (List<Long> ids : seen) {
                assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(first, first + 5).boxed().toList());
            }
            assertThat(registry.get("fabric.stream.pending.bytes").gauge().value()).isZero();
        } finally {
            for (Stream<String> body : bodies) {
                body.close();
            }
        }
    }
}
