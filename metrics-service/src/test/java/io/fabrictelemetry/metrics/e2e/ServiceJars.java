package io.fabrictelemetry.metrics.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the tests that start the real services as processes share: the generator's jar and a free port. */
public final class ServiceJars {

    private ServiceJars() {
    }

    /** The generator's runnable jar, packaged by {@code ./mvnw verify} before the metrics-service's tests run. */
    public static Path generatorJar() throws IOException {
        Path target = Path.of("..", "generator-service", "target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches("generator-service-.*-exec\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No generator jar in " + target.toAbsolutePath()
                            + ": run ./mvnw verify from the repository root, which packages it first"));
        }
    }

    /** A port nothing listens on at this moment. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
