package io.fabrictelemetry.metrics.dashboard;

import static io.fabrictelemetry.metrics.e2e.ServiceJars.freePort;
import static io.fabrictelemetry.metrics.e2e.ServiceJars.generatorJar;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.fabrictelemetry.metrics.MetricsApplication;

/**
 * The real generator (its built jar, in its own JVM) and the real metrics-service (an application
 * context in this JVM) on free loopback ports, as the end-to-end test runs them; or the
 * metrics-service alone, polling a stand-in generator the test serves.
 */
final class RunningFabric implements AutoCloseable {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final @Nullable Process generator;
    private final ConfigurableApplicationContext metrics;
    private final int generatorPort;
    private final int metricsPort;

    private RunningFabric(@Nullable Process generator, int generatorPort, ConfigurableApplicationContext metrics) {
        this.generator = generator;
        this.generatorPort = generatorPort;
        this.metrics = metrics;
        this.metricsPort = Integer.parseInt(metrics.getEnvironment().getProperty("local.server.port"));
    }

    static RunningFabric start(Map<String, String> generatorEnvironment, String... metricsArguments) throws Exception {
        int generatorPort = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", generatorJar().toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "dashboard-generator.log").toFile());
        builder.environment().put("GENERATOR_PORT", Integer.toString(generatorPort));
        builder.environment().put("GENERATOR_HOST", "127.0.0.1");
        builder.environment().put("GENERATOR_CONFIG_FILE", "target/no-generator-config.yml");
        builder.environment().putAll(generatorEnvironment);
        Process generator = builder.start();
        try {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .until(() -> get("http://127.0.0.1:" + generatorPort + "/counters").statusCode() == 200);
            return startMetrics(generator, generatorPort, metricsArguments);
        } catch (Exception | AssertionError e) {
            generator.destroyForcibly();
            throw e;
        }
    }

    /** The metrics-service alone, polling whatever answers /counters on 127.0.0.1:generatorPort. */
    static RunningFabric polling(int generatorPort, String... metricsArguments) {
        return startMetrics(null, generatorPort, metricsArguments);
    }

    private static RunningFabric startMetrics(@Nullable Process generator, int generatorPort, String... metricsArguments) {
        // generator.url named here: it would win over host and port if the environment had a GENERATOR_URL
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--generator.url=http://127.0.0.1:" + generatorPort,
                "--METRICS_CONFIG_FILE=target/no-metrics-config.yml"));
        arguments.addAll(List.of(metricsArguments));
        ConfigurableApplicationContext metrics = new SpringApplicationBuilder(MetricsApplication.class)
                .run(arguments.toArray(String[]::new));
        RunningFabric fabric = new RunningFabric(generator, generatorPort, metrics);
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> get(fabric.metricsUrl("/telemetry/ListMetrics")).statusCode() == 200);
        } catch (RuntimeException | AssertionError e) {
            metrics.close();
            throw e;
        }
        return fabric;
    }

    String metricsUrl(String path) {
        return "http://127.0.0.1:" + metricsPort + path;
    }

    /** Stops the generator gracefully and waits for its JVM to end. */
    void stopGenerator() throws InterruptedException {
        if (generator == null) {
            throw new IllegalStateException("no generator process: this fabric polls a stand-in");
        }
        generator.destroy();
        generator.waitFor();
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        metrics.close();
        if (generator != null) {
            generator.destroyForcibly();
        }
    }
}
