package io.fabrictelemetry.metrics.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

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
 * A kept-alive connection keeps being served after an answer computed off the event loop (the first
 * Prometheus export of a snapshot is encoded on a worker thread and written from there): the
 * requests that follow on the same connection, sent one after the other or pipelined, all get their
 * answer. Reactor Netty 1.3.6 could leave such a connection unread: the next request was answered
 * only when the client gave up and closed it (reactor-netty#4188, #4361; fixed in 1.3.8).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "poll.interval=1h", "poll.timeout=1s", "stale.after=2h", "server.address=127.0.0.1"})
class KeepAliveAfterOffLoopAnswerTests {

    private static final int ROUNDS = 60;

    @DynamicPropertySource
    static void noGenerator(DynamicPropertyRegistry registry) {
        NoGenerator.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    SnapshotStore store;

    private void publishNewSnapshot(int round) {
        store.publish(Table.of(List.of("latency_us", "packet_errors"), List.of("sw-0001", "sw-0002"),
                new long[] {round, 1, Double.doubleToRawLongBits(2.5 + round), 3},
                new byte[] {CellKind.INTEGER, CellKind.INTEGER, CellKind.DECIMAL, CellKind.INTEGER}, 0, 0),
                Instant.now(), Instant.now(), "\"generation-" + round + "\"");
    }

    @Test
    void requestsAfterAFreshExportOnTheSameConnectionAreAllAnswered() throws IOException {
        try (Socket socket = connect()) {
            for (int round = 0; round < ROUNDS; round++) {
                publishNewSnapshot(round);
                Answer export = exchange(socket, round, "GET /telemetry/prometheus");
                assertThat(export.status()).isEqualTo(200);
                String etag = export.header("etag");
                assertThat(exchange(socket, round, "GET /telemetry/prometheus", "If-None-Match: " + etag).status())
                        .isEqualTo(304);
                assertThat(exchange(socket, round, "GET /telemetry/prometheus", "If-None-Match: \"other\", " + etag)
                        .status()).isEqualTo(304);
                assertThat(exchange(socket, round, "GET /telemetry/TopSwitches?metric=latency_us").status())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void requestsPipelinedBehindAFreshExportAreAllAnswered() throws IOException {
        try (Socket socket = connect()) {
            for (int round = 0; round < ROUNDS; round++) {
                publishNewSnapshot(1_000 + round);
                String target = round % 2 == 0 ? "GET /telemetry/prometheus" : "HEAD /telemetry/prometheus";
                send(socket, request(target) + request("GET /telemetry/GetMetric?switch=sw-0001&metric=latency_us")
                        + request("GET /telemetry/TopSwitches?metric=latency_us"));
                InputStream in = socket.getInputStream();
                assertThat(read(in, round, target.startsWith("HEAD")).status()).isEqualTo(200);
                assertThat(read(in, round, false).status()).isEqualTo(200);
                assertThat(read(in, round, false).status()).isEqualTo(200);
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(3_000);
        return socket;
    }

    private static String request(String line, String... headers) {
        StringBuilder request = new StringBuilder(line).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    private static void send(Socket socket, String requests) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(requests.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static Answer exchange(Socket socket, int round, String line, String... headers) throws IOException {
        send(socket, request(line, headers));
        return read(socket.getInputStream(), round, line.startsWith("HEAD"));
    }

    /** One answer: its head, then a body framed by Content-Length or chunked (none for a HEAD, 304 or 204). */
    private static Answer read(InputStream in, int round, boolean head) throws IOException {
        try {
            String text = line(in);
            int status = Integer.parseInt(text.substring(9, 12));
            StringBuilder headers = new StringBuilder();
            for (String header; !(header = line(in)).isEmpty(); ) {
                headers.append(header.toLowerCase(Locale.ROOT)).append('\n');
            }
            Answer answer = new Answer(status, headers.toString());
            if (head || status == 304 || status == 204) {
                return answer;
            }
            String length = answer.header("content-length");
            if (length != null) {
                in.readNBytes(Integer.parseInt(length));
            } else if ("chunked".equals(answer.header("transfer-encoding"))) {
                for (int size; (size = Integer.parseInt(line(in).trim(), 16)) > 0; ) {
                    in.readNBytes(size);
                    line(in);
                }
                line(in);
            } else {
                fail("round %d: an answer with neither a length nor chunks: %s", round, headers);
            }
            return answer;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("round " + round + ": no answer within 3 s on a kept-alive connection", e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private record Answer(int status, String headers) {

        String header(String name) {
            for (String line : headers.split("\n")) {
                if (line.startsWith(name + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }
}
