package io.fabrictelemetry.metrics.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.api.NoGenerator;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * The request timeout on the real server: a client whose request body keeps trickling in (so the
 * idle timeout, an hour here, never fires) is cut off; quick requests on a kept-alive connection
 * are not, however long the connection lives.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "server.address=127.0.0.1",
        "metrics.server.idle-timeout=1h", "metrics.server.request-timeout=500ms"})
class RequestTimeoutHttpTests {

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    SnapshotStore store;

    @BeforeEach
    void publish() {
        if (store.current() == null) {
            store.publish(Table.of(List.of("latency_us"), List.of("sw-0001"), new long[] {7},
                    new byte[] {CellKind.INTEGER}, 0, 0), Instant.now(), Instant.now(), null);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(100);
        return socket;
    }

    @Test
    void requestWhoseBodyTricklesForeverIsCutOff() throws Exception {
        try (Socket trickler = connect()) {
            OutputStream out = trickler.getOutputStream();
            out.write(("GET /telemetry/GetMetric?switch=sw-0001&metric=latency_us HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 1000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = trickler.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean closed = false;
            while (!closed && System.nanoTime() < giveUp) {
                try {
                    out.write('x'); // one byte every ~100 ms: never idle
                    out.flush();
                } catch (SocketException reset) {
                    closed = true;
                    break;
                }
                try {
                    int n = in.read();
                    if (n < 0) {
                        closed = true;
                    } else {
                        received.write(n);
                    }
                } catch (SocketTimeoutException nothingYet) {
                    // still open
                } catch (SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("the server closed the connection of a request that never finished arriving")
                    .isTrue();
        }
    }

    @Test
    void quickRequestsOnOneConnectionOutliveTheRequestTimeout() throws Exception {
        try (Socket client = connect()) {
            client.setSoTimeout(5_000);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500); // three request timeouts
            int answered = 0;
            while (System.nanoTime() < end || answered < 3) {
                client.getOutputStream().write("GET /telemetry/GetMetric?switch=sw-0001&metric=latency_us HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                assertThat(readOneResponse(client.getInputStream())).startsWith("HTTP/1.1 200");
                answered++;
                Thread.sleep(100);
            }
            assertThat(answered).isGreaterThanOrEqualTo(3);
        }
    }

    /** Reads one response with a Content-Length body. */
    private static String readOneResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            assertThat(c).as("connection still open").isNotNegative();
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return head.toString();
    }
}
