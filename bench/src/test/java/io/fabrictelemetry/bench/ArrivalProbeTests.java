package io.fabrictelemetry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * ArrivalProbe against a stand-in GetMetric whose snapshot changes at chosen requests: what becomes a
 * sample, and that a sample's two bounds hold the moment the new snapshot was first served.
 */
class ArrivalProbeTests {

    /** A snapshot the stand-in serves from request {@code from} on ({@code etag}, collected 40 ms before). */
    record Change(int from, String etag) {
    }

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aChangedSnapshotIsOneSampleWhoseBoundsHoldTheMomentItWasFirstServed() throws IOException {
        Served served = serve(List.of(new Change(1, "\"a\""), new Change(6, "\"b\"")), -1);

        ArrivalProbe.Target target = probe(10);

        assertThat(target.requests).isEqualTo(10);
        assertThat(target.samples).hasSize(1);
        ArrivalProbe.Sample sample = target.samples.get(0);
        assertThat(sample.etag()).isEqualTo("\"b\"");
        assertThat(sample.collectedAt()).isEqualTo(Instant.ofEpochMilli(served.collectedAt("\"b\"")));
        long firstServedAfterCollection = served.firstServed("\"b\"") - served.collectedAt("\"b\"");
        assertThat(sample.lowerMs()).isLessThanOrEqualTo(firstServedAfterCollection);
        assertThat(sample.upperMs()).isGreaterThanOrEqualTo(firstServedAfterCollection);
        assertThat(target.notModified).as("asks with If-None-Match: 304 while nothing changed").isPositive();
        assertThat(target.errors).isZero();
    }

    @Test
    void aSnapshotFirstSeenAfterAFailedRequestIsNoSample() throws IOException {
        serve(List.of(new Change(1, "\"a\""), new Change(7, "\"b\""), new Change(12, "\"c\"")), 6);

        ArrivalProbe.Target target = probe(15);

        assertThat(target.requests).isEqualTo(15);
        assertThat(target.samples).extracting(ArrivalProbe.Sample::etag).containsExactly("\"c\"");
        assertThat(target.errors).isEqualTo(1);
    }

    /** The probe run for {@code requests} requests (1 ms apart): past every change the stand-in makes. */
    private ArrivalProbe.Target probe(int requests) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/telemetry/GetMetric");
        ArrivalProbe.Target target = ArrivalProbe.Target.forRequests("service", uri, requests, 1, http);
        target.run();
        return target;
    }

    /** What the stand-in served: when each snapshot was made (its collectedAt) and first answered. */
    static final class Served {
        final Map<String, Long> collectedAt = new ConcurrentHashMap<>();
        final Map<String, Long> firstServed = new ConcurrentHashMap<>();

        long collectedAt(String etag) {
            return collectedAt.get(etag);
        }

        long firstServed(String etag) {
            return firstServed.get(etag);
        }
    }

    /** Serves the changes in order, request {@code failing} answered 500. */
    private Served serve(List<Change> changes, int failing) throws IOException {
        Served served = new Served();
        AtomicInteger requests = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/telemetry/GetMetric", exchange -> {
            int n = requests.incrementAndGet();
            if (n == failing) {
                answer(exchange, 500, null, "{}");
                return;
            }
            Change current = null;
            for (Change change : changes) {
                if (n >= change.from()) {
                    current = change;
                }
            }
            String etag = current.etag();
            long now = System.currentTimeMillis();
            served.collectedAt.putIfAbsent(etag, now - 40);
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                answer(exchange, 304, etag, null);
                return;
            }
            served.firstServed.putIfAbsent(etag, now);
            answer(exchange, 200, etag, "{\"switch\":\"sw-0001\",\"metric\":\"latency_us\",\"value\":1.0,"
                    + "\"sampledAt\":\"2026-12-07T00:00:00.000Z\",\"collectedAt\":\""
                    + Instant.ofEpochMilli(served.collectedAt(etag)) + "\"}");
        });
        server.start();
        return served;
    }

    private static void answer(HttpExchange exchange, int status, String etag, String body) throws IOException {
        if (etag != null) {
            exchange.getResponseHeaders().set("ETag", etag);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body == null ? -1 : bytes.length);
        if (body != null) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
