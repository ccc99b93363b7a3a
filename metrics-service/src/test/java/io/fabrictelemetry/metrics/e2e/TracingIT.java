package io.fabrictelemetry.metrics.e2e;

import static io.fabrictelemetry.metrics.e2e.ServiceJars.freePort;
import static io.fabrictelemetry.metrics.e2e.ServiceJars.generatorJar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.sun.net.httpserver.HttpServer;

import io.fabrictelemetry.metrics.MetricsApplication;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A poll's trace across both services, end to end: the real generator (its built jar, in its own JVM)
 * and the real metrics-service (in this JVM), each told where to send spans only by
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a base URL), export to a stand-in OTLP receiver that this test
 * serves and decodes. The generator's server span for {@code /counters} is in the poll's trace, a
 * child of the metrics-service's client span.
 */
class TracingIT {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final HexFormat HEX = HexFormat.of();

    /** Each span received, with the service.name of the resource that sent it. */
    private record Received(String service, Span span) {
        String traceId() {
            return HEX.formatHex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return HEX.formatHex(span.getSpanId().toByteArray());
        }

        String parentSpanId() {
            return HEX.formatHex(span.getParentSpanId().toByteArray());
        }
    }

    private static final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private static final Queue<String> paths = new ConcurrentLinkedQueue<>();
    private static HttpServer receiver;
    private static Process generator;
    private static ConfigurableApplicationContext metrics;

    @BeforeAll
    static void startTheReceiverAndBothServices() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            try (InputStream body = exchange.getRequestBody()) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body.readAllBytes());
                request.getResourceSpansList().forEach(resource -> {
                    String service = resource.getResource().getAttributesList().stream()
                            .filter(attribute -> attribute.getKey().equals("service.name"))
                            .map(attribute -> attribute.getValue().getStringValue()).findFirst().orElse("?");
                    resource.getScopeSpansList().forEach(scope -> scope.getSpansList()
                            .forEach(span -> received.add(new Received(service, span))));
                });
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String otlp = "http://127.0.0.1:" + receiver.getAddress().getPort();

        int generatorPort = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", generatorJar().toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "tracing-generator.log").toFile());
        builder.environment().put("GENERATOR_PORT", Integer.toString(generatorPort));
        builder.environment().put("GENERATOR_HOST", "127.0.0.1");
        builder.environment().put("GENERATOR_SWITCHES", "8");
        builder.environment().put("GENERATOR_CONFIG_FILE", "target/no-generator-config.yml");
        builder.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
        builder.environment().put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms");
        generator = builder.start();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + generatorPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        metrics = new SpringApplicationBuilder(MetricsApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1",
                "--generator.url=http://127.0.0.1:" + generatorPort,
                "--poll.interval=500ms", "--poll.timeout=400ms",
                "--METRICS_CONFIG_FILE=target/no-metrics-config.yml",
                "--OTEL_EXPORTER_OTLP_ENDPOINT=" + otlp,
                "--management.opentelemetry.tracing.export.schedule-delay=200ms");
    }

    @AfterAll
    static void stopEverything() {
        if (metrics != null) {
            metrics.close();
        }
        if (generator != null) {
            generator.destroyForcibly();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theGeneratorsHandlingOfAPollIsAServerSpanOfThePollsTrace() {
        Received server = await().atMost(Duration.ofSeconds(60)).until(() -> received.stream()
                .filter(r -> r.service().equals("generator-service") && r.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                        && r.span().getName().contains("/counters"))
                .filter(r -> received.stream().anyMatch(poll -> poll.service().equals("metrics-service")
                        && poll.span().getName().equals("fabric.poll") && poll.traceId().equals(r.traceId())))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();

        List<Received> trace = received.stream().filter(r -> r.traceId().equals(server.traceId())).toList();
        Received client = trace.stream().filter(r -> r.spanId().equals(server.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("no span of the trace is the server span's parent: " + trace));
        assertThat(client.service()).isEqualTo("metrics-service");
        assertThat(client.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        Received fetch = trace.stream().filter(r -> r.spanId().equals(client.parentSpanId())).findFirst().orElseThrow();
        assertThat(fetch.span().getName()).isEqualTo("fabric.poll.fetch");
        Received root = trace.stream().filter(r -> r.spanId().equals(fetch.parentSpanId())).findFirst().orElseThrow();
        assertThat(root.span().getName()).isEqualTo("fabric.poll");
        assertThat(root.span().getParentSpanId().isEmpty()).as("the poll is the trace's root").isTrue();
        assertThat(paths).as("OTEL_EXPORTER_OTLP_ENDPOINT is a base URL: /v1/traces appended").containsOnly("/v1/traces");
    }

    @Test
    void theGeneratorTracesNothingElseAtTheDefaultProbability() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> received.stream()
                .anyMatch(r -> r.service().equals("generator-service")));
        // the health checks above started traces of their own: none was sampled
        assertThat(received).filteredOn(r -> r.service().equals("generator-service"))
                .allSatisfy(r -> assertThat(r.span().getName()).contains("/counters"));
    }
}
