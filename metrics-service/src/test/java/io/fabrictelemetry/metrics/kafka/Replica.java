package io.fabrictelemetry.metrics.kafka;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import io.fabrictelemetry.metrics.MetricsApplication;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;

/**
 * One metrics-service running in the test JVM (its own Spring context and web server on a free port),
 * as a replica behind a load balancer would run: started with the given settings, asked over HTTP,
 * closed like a stopped process.
 */
final class Replica implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ConfigurableApplicationContext context;
    private final int port;

    private Replica(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** A consumer of {@code topic}. */
    static Replica consumer(String bootstrapServers, String topic, String... more) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("ingest.mode", "consume");
        settings.put("kafka.bootstrap-servers", bootstrapServers);
        settings.put("kafka.topic", topic);
        return start(settings, more);
    }

    /** A service with {@code settings} and {@code more} (name, value, name, value…). */
    static Replica start(Map<String, Object> settings, String... more) {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("metrics.server.port", 0);
        all.put("history.retention", "15m");
        all.put("stale.after", "1h");
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return new Replica(new SpringApplicationBuilder(MetricsApplication.class, OwnNettyResources.class)
                .properties(all).run());
    }

    /**
     * Netty resources of the replica's own: with Reactor Netty's global ones (the default), closing
     * one replica's context would dispose of the event loops every other replica in the JVM serves on.
     */
    @Configuration(proxyBeanMethods = false)
    static class OwnNettyResources {
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    int port() {
        return port;
    }

    boolean hasBean(String name) {
        return context.containsBean(name);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The sequence of the snapshot served, 0 before the first. */
    long sequence() {
        Snapshot current = bean(SnapshotStore.class).current();
        return current == null ? 0 : current.sequence();
    }

    HttpResponse<byte[]> get(String target, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(20)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String text(String target) throws Exception {
        return new String(get(target).body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        context.close();
    }
}
