package io.fabrictelemetry.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Hostile and malformed client input over real sockets, on the real server: every answer is a 4xx
 * with a problem body (also where the HTTP layer refuses the request first: 400, 414, 431), nothing
 * echoes unbounded input, nothing is a 500, and the server
 * keeps serving. The idle timeout is short here so that idle and trickling clients are cut fast;
 * the request timeout is long, to show that the idle timeout alone cuts a trickled request head.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "server.address=127.0.0.1",
        "metrics.server.idle-timeout=700ms", "metrics.server.request-timeout=1h"})
class HostileInputTests {

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

    record Answer(int status, String text) {
    }

    /** Sends raw bytes and reads until the server closes or 5 s pass; status -1 if no status line came. */
    private Answer send(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0 && received.size() < 1_000_000; ) {
                    received.write(buffer, 0, n);
                    if (received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")
                            && isComplete(received.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (IOException closedOrSlow) {
                // a reset or a timeout: judge what arrived
            }
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Answer(status, text);
        }
    }

    private static boolean isComplete(String response) {
        int headEnd = response.indexOf("\r\n\r\n");
        String head = response.substring(0, headEnd).toLowerCase();
        int at = head.indexOf("content-length: ");
        if (at < 0) {
            return head.startsWith("http/1.1 304") || head.startsWith("http/1.1 204");
        }
        int length = Integer.parseInt(head.substring(at + 16).split("\r\n")[0].trim());
        return response.length() - headEnd - 4 >= length;
    }

    private Answer get(String target, String... extraHeaders) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        return send(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private void assertStillServing() throws IOException {
        assertThat(get("/telemetry/GetMetric?switch=sw-0001&metric=latency_us").status()).isEqualTo(200);
    }

    @Test
    void nulByteInANameIsANotFoundProblemWithTheByteEscaped() throws IOException {
        Answer answer = get("/telemetry/GetMetric?switch=sw%00&metric=latency_us");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.text()).contains("application/problem+json").contains("sw\\u0000").doesNotContain("sw\0");
    }

    @Test
    void tenKilobytesOfTextInAParameterIsRefusedWithoutEchoingIt() throws IOException {
        String huge = "A".repeat(10_000);
        Answer answer = get("/telemetry/GetMetric?switch=" + huge + "&metric=latency_us");
        // longer than Netty's 4 KB request line: refused before routing
        assertThat(answer.status()).isIn(400, 414);
        assertThat(answer.text()).doesNotContain(huge.substring(0, 300));
    }

    @Test
    void overLongParameterWithinTheRequestLineIsABadRequestProblemThatDoesNotEchoIt() throws IOException {
        String longName = "%3Cscript%3E" + "B".repeat(2_000);
        Answer answer = get("/telemetry/GetMetric?switch=" + longName + "&metric=latency_us");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("application/problem+json").contains("at most 256")
                .doesNotContain("BBBBBBBBBB");
    }

    @Test
    void invalidPercentEncodingIsABadRequestProblem() throws IOException {
        // refused by Spring's adapter before routing (not a valid URI), yet answered as every error is
        Answer answer = get("/telemetry/GetMetric?switch=%zz&metric=latency_us");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).containsIgnoringCase("content-type: application/problem+json")
                .contains("\"status\":400").contains("\"type\":\"about:blank\"")
                .contains("a '%' must be followed by two hexadecimal digits");
        // a valid URI whose escapes are not UTF-8: refused by the application as bad encoding, not read
        // as U+FFFD (which would answer that no such switch exists)
        Answer notUtf8 = get("/telemetry/GetMetric?switch=%E2%82&metric=latency_us");
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.text()).contains("urn:fabric-telemetry:problem:invalid-query");
        assertStillServing();
    }

    @Test
    void overLongRequestLineAndHeadersAreProblemsNamingTheLimit() throws IOException {
        Answer line = get("/telemetry/GetMetric?switch=" + "x".repeat(5_000) + "&metric=latency_us");
        assertThat(line.status()).isEqualTo(414);
        assertThat(line.text()).containsIgnoringCase("content-type: application/problem+json")
                .contains("\"status\":414").contains("longer than 4096 bytes");

        Answer headers = get("/telemetry/ListMetrics", "X-Filler: " + "y".repeat(20_000));
        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.text()).containsIgnoringCase("content-type: application/problem+json")
                .contains("\"status\":431").contains("larger than 8192 bytes");
        assertStillServing();
    }

    @Test
    void badRequestToAHeadGetsNoBodyAndTheNextAnswerOnTheConnectionIsIntact() throws IOException {
        // pipelined on one connection: a HEAD that is refused, then a GET; were a body added to the
        // HEAD's answer, it would be read as the start of the next answer
        String request = "HEAD /telemetry/GetMetric?switch=%zz&metric=latency_us HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + "GET /telemetry/GetMetric?switch=%zz&metric=latency_us HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] answers = text.split("(?=HTTP/1\\.1 )");
            assertThat(answers).hasSize(2);
            assertThat(answers[0]).startsWith("HTTP/1.1 400").doesNotContain("{").endsWith("\r\n\r\n");
            assertThat(answers[1]).startsWith("HTTP/1.1 400").contains("\"status\":400");
        }
    }

    @Test
    void twentyKilobyteUriIsRefusedByTheHttpLayer() throws IOException {
        Answer answer = get("/telemetry/GetMetric?switch=" + "x".repeat(20_000) + "&metric=latency_us");
        assertThat(answer.status()).isIn(400, 414);
        assertThat(answer.text().length()).isLessThan(2_000);
        assertStillServing();
    }

    @Test
    void sixtyFourKilobytesOfHeadersAreRefusedByTheHttpLayer() throws IOException {
        String[] headers = new String[64];
        for (int i = 0; i < headers.length; i++) {
            headers[i] = "X-Filler-" + i + ": " + "y".repeat(1_000);
        }
        Answer answer = get("/telemetry/ListMetrics", headers);
        assertThat(answer.status()).isIn(400, 431);
        assertStillServing();
    }

    @Test
    void tlsHandshakeOnThePlainPortGetsNoServerError() throws IOException {
        // the start of a TLS 1.2 ClientHello
        byte[] hello = HexFormat.of().parseHex("16030100a5010000a10303" + "00".repeat(32) + "000004c02fc0300100");
        Answer answer = send(hello);
        assertThat(answer.status()).isIn(-1, 400);
        assertStillServing();
    }

    @Test
    void garbageRequestLineGetsABadRequest() throws IOException {
        Answer answer = send("\u0001\u0002 NOT HTTP\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(answer.status()).isIn(-1, 400);
        assertStillServing();
    }

    @Test
    void idleConnectionIsClosedWhileOthersAreServed() throws IOException {
        try (Socket idle = new Socket()) {
            idle.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            idle.setSoTimeout(10_000);
            assertStillServing();
            long start = System.nanoTime();
            assertThat(idle.getInputStream().read()).isEqualTo(-1); // closed by the server
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void quietResponseInProgressOutlivesTheIdleTimeout() throws IOException {
        try (Socket stream = new Socket()) {
            stream.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            stream.getOutputStream().write(("GET /telemetry/stream HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            stream.getOutputStream().flush();
            InputStream in = stream.getInputStream();
            stream.setSoTimeout(5_000);
            byte[] buffer = new byte[8192];
            assertThat(in.read(buffer)).as("the stream's head and first event").isPositive();
            // the snapshot does not change and the keepalive is 15 s: nothing is written for 3 s,
            // four idle timeouts, yet the stream is a request in progress, not an idle connection
            stream.setSoTimeout(3_000);
            assertThatThrownBy(() -> {
                while (in.read(buffer) > 0) {
                    // drain the rest of the first event
                }
            }).as("still open: the read timed out rather than ending").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void keptAliveConnectionIsClosedOneIdleTimeoutAfterItsResponse() throws IOException {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write("GET /telemetry/ListMetrics HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            InputStream in = client.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.write(buffer, 0, n);
                String text = received.toString(StandardCharsets.ISO_8859_1);
                if (text.contains("\r\n\r\n") && isComplete(text)) {
                    break;
                }
            }
            String response = received.toString(StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 200");
            assertThat(response.toLowerCase()).as("kept alive, not closed with the answer")
                    .doesNotContain("connection: close");
            long answered = System.nanoTime();
            assertThat(in.read()).as("closed by the server after the response").isEqualTo(-1);
            // the idle timeout is 700 ms: not at once, and not much later
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isGreaterThan(Duration.ofMillis(500))
                    .isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void clientThatTricklesItsRequestIsCutOff() throws IOException {
        try (Socket trickler = new Socket()) {
            trickler.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            trickler.setSoTimeout(10_000);
            trickler.getOutputStream().write("GET /telemetry/ListMetrics HTTP/1.1\r\nHost: loc".getBytes(
                    StandardCharsets.US_ASCII));
            trickler.getOutputStream().flush();
            assertStillServing();
            int first;
            try {
                first = trickler.getInputStream().read();
            } catch (SocketTimeoutException stillOpen) {
                first = -2;
            }
            assertThat(first).as("connection closed, not held open").isEqualTo(-1);
        }
    }
}
