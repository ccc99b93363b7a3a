package io.fabrictelemetry.generator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.generator.simulation.GenerationStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * GENERATOR_PUBLISH=kafka with no broker at its address: every send waits for the broker up to
 * KAFKA_MAX_BLOCK (2 s here) on the publisher's thread, while the simulation keeps its 100 ms period and
 * the API answers; the failures are counted.
 */
@SpringBootTest(properties = {"generator.switches=5", "generator.ports-per-switch=2", "generator.period=100ms",
        "generator.publish=kafka", "kafka.topic=generator-push-broker-down", "kafka.max-block=2s"})
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class GenerationPublisherBrokerDownTests {

    private static final int PORT = freePort();

    @Autowired
    WebTestClient client;
    @Autowired
    GenerationStore store;
    @Autowired
    MeterRegistry registry;
    @Autowired
    GenerationPublisher publisher;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("kafka.bootstrap-servers", () -> "127.0.0.1:" + PORT);
    }

    @AfterAll
    void stop() {
        publisher.stop();
        publisher.destroy();
    }

    @Test
    void aDeadBrokerNeitherHoldsTheSimulationNorTheApiAndEachGenerationNotPublishedIsCounted() {
        long first = store.current().number();
        // 20 generations take 2 s at the 100 ms period; a send on the simulation's thread would take 40 s
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(store.current().number()).isGreaterThanOrEqualTo(first + 20);
            assertThat(failures()).isGreaterThanOrEqualTo(2);
        });
        client.get().uri("/counters").exchange().expectStatus().isOk();
        assertThat(published()).isZero();
    }

    private double failures() {
        return registry.get("fabric.generator.publish.failures").counter().count();
    }

    private double published() {
        return registry.get("fabric.generator.published").counter().count();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
