package io.fabrictelemetry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stream clients for bench/soak.sh: many {@code /telemetry/stream} clients at once, most reading
 * as fast as they can, some reading slowly, some never reading. Checks that every live client sees
 * strictly increasing snapshot ids (every snapshot, or the latest after a gap) without an error,
 * and that at the end every fast client has the latest snapshot.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.fabrictelemetry.bench.StreamSoak host port clients slow stalled seconds</pre>
 * Prints a report; exits 1 when a reading client saw an error, an id out of order, or ended behind.
 */
public final class StreamSoak {

    enum Kind { FAST, SLOW, STALLED }

    static final class Client {
        final Kind kind;
        final AtomicLong events = new AtomicLong();
        final AtomicLong gaps = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong outOfOrder = new AtomicLong();
        final AtomicLong keepalives = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        volatile long last;
        volatile String lastError = "";

        Client(Kind kind) {
            this.kind = kind;
        }
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int total = Integer.parseInt(args[2]);
        int slow = Integer.parseInt(args[3]);
        int stalled = Integer.parseInt(args[4]);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[5])).toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://" + host + ":" + port + "/telemetry/stream");

        List<Client> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Kind kind = i < stalled ? Kind.STALLED : i < stalled + slow ? Kind.SLOW : Kind.FAST;
            Client client = new Client(kind);
            clients.add(client);
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    client.connections.incrementAndGet();
                    try {
                        if (kind == Kind.STALLED) {
                            stall(host, port, deadline);
                        } else {
                            read(http, uri, client, deadline);
                        }
                    } catch (IOException | InterruptedException | RuntimeException e) {
                        if (System.nanoTime() < deadline && kind != Kind.STALLED) {
                            client.errors.incrementAndGet();
                            client.lastError = String.valueOf(e);
                        }
                    }
                    sleepQuietly(1000);
                }
            }, "stream-" + kind + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).toMillis() + 15_000);
        }
        report(clients);
    }

    /**
     * A client that sends its request and never reads a byte. The server cuts it after its write
     * timeout; it cannot notice without reading, so it holds the socket for a minute, then reconnects.
     */
    static void stall(String host, int port, long deadline) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(host, port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /telemetry/stream HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long until = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(60).toNanos());
            while (System.nanoTime() < until) {
                sleepQuietly(1000);
            }
        }
    }

    static void read(HttpClient http, URI uri, Client client, long deadline) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("status " + response.statusCode());
        }
        InputStream body = client.kind == Kind.SLOW ? new Throttled(response.body()) : response.body();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192)) {
            String line;
            while (System.nanoTime() < deadline && (line = lines.readLine()) != null) {
                if (line.startsWith("id: ")) {
                    long id = Long.parseLong(line.substring(4));
                    if (id <= client.last) {
                        client.outOfOrder.incrementAndGet();
                    } else if (client.last > 0 && id > client.last + 1) {
                        client.gaps.incrementAndGet();
                        client.skipped.addAndGet(id - client.last - 1);
                    }
                    client.last = id;
                    client.events.incrementAndGet();
                } else if (line.equals(": keepalive")) {
                    client.keepalives.incrementAndGet();
                }
            }
            if (System.nanoTime() < deadline) {
                throw new IOException("stream ended by the server");
            }
        }
    }

    /** Reads at most 16 KiB, then pauses 100 ms: about 160 KB/s. */
    static final class Throttled extends InputStream {
        private final InputStream in;

        Throttled(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            sleepQuietly(100);
            return in.read(b, off, Math.min(len, 16 * 1024));
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void report(List<Client> clients) {
        long latest = clients.stream().filter(c -> c.kind == Kind.FAST).mapToLong(c -> c.last).max().orElse(0);
        boolean ok = true;
        System.out.println("| clients | kind | connections | events | gaps (snapshots skipped) | keepalives | out of order | errors | at the latest snapshot at the end |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Kind kind : Kind.values()) {
            List<Client> group = clients.stream().filter(c -> c.kind == kind).toList();
            if (group.isEmpty()) {
                continue;
            }
            long connections = group.stream().mapToLong(c -> c.connections.get()).sum();
            long events = group.stream().mapToLong(c -> c.events.get()).sum();
            long gaps = group.stream().mapToLong(c -> c.gaps.get()).sum();
            long skipped = group.stream().mapToLong(c -> c.skipped.get()).sum();
            long keepalives = group.stream().mapToLong(c -> c.keepalives.get()).sum();
            long outOfOrder = group.stream().mapToLong(c -> c.outOfOrder.get()).sum();
            long errors = group.stream().mapToLong(c -> c.errors.get()).sum();
            long current = group.stream().filter(c -> c.last == latest).count();
            System.out.printf("| %d | %s | %d | %d | %d (%d) | %d | %d | %d | %s |%n", group.size(), kind, connections,
                    events, gaps, skipped, keepalives, outOfOrder, errors,
                    kind == Kind.STALLED ? "n/a (never read; cut by the write timeout)" : current + " of " + group.size());
            group.stream().filter(c -> c.errors.get() > 0).limit(3)
                    .forEach(c -> System.out.println("    error: " + c.lastError));
            if (kind != Kind.STALLED && (outOfOrder > 0 || errors > 0)) {
                ok = false;
            }
            if (kind == Kind.FAST && current != group.size()) {
                ok = false;
            }
        }
        System.out.println("latest snapshot id seen: " + latest);
        System.out.println(ok ? "STREAMS PASS" : "STREAMS FAIL");
        System.exit(ok ? 0 : 1);
    }
}
