package io.fabrictelemetry.metrics.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * For API tests that publish their own snapshots: the poll loop aims at a port where nothing
 * listens, taken from a closed {@link ServerSocket} (nothing is assumed about port 9 or any other).
 * One port per test JVM, so that contexts with equal settings are still shared.
 */
public final class NoGenerator {

    public static final int PORT = closedPort();

    private NoGenerator() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("generator.port", () -> PORT);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
