package io.fabrictelemetry.generator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fabrictelemetry.generator.simulation.GenerationStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * GENERATOR_PUBLISH=kafka with no broker at its address: every send waits for the broker up to
 * KAFKA_MAX_BLOCK on a thread of the publisher's own, never on the simulation's, so generations keep
 * coming while a send is blocked and the API answers; the failures are counted. Which thread sends is
 * seen through the application's clock, which the publisher reads once per attempt (the record's
 * {@code collected-at}) before any call to the broker.
 */
@SpringBootTest(properties = {"generator.switches=5", "generator.ports-per-switch=2", "generator.period=100ms",
        "generator.publish=kafka", "kafka.topic=generator-push-broker-down", "kafka.max-block=3s"})
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class GenerationPublisherBrokerDownTests {

    private static final int PORT = freePort();

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        @Primary
        SendThreadsClock sendThreadsClock() {
            return new SendThreadsClock();
        }
    }

    @Autowired
    WebTestClient client;
    @Autowired
    GenerationStore store;
    @Autowired
    MeterRegistry registry;
    @Autowired
    GenerationPublisher publisher;
    @Autowired
    SendThreadsClock clock;

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
    void aDeadBrokerNeitherHoldsTheSimulationNorTheApiAndEachFailedSendIsCounted() {
        await().atMost(Duration.ofSeconds(60)).until(() -> !clock.sendThreads().isEmpty());
        // three generations while one send waits for the dead broker (no attempt ended meanwhile)
        await().atMost(Duration.ofSeconds(90)).until(this::generationsCameWhileOneSendWaited);
        client.get().uri("/counters").exchange().expectStatus().isOk();
        await().atMost(Duration.ofSeconds(60)).until(() -> failures() >= 1);
        assertThat(published()).isZero();

        assertThat(clock.sendThreads()).isNotEmpty().allSatisfy(thread -> assertThat(thread)
                .as("the thread of a send").startsWith("kafka-publisher"));
        assertThat(clock.sendThreads()).noneMatch(thread -> thread.startsWith("fabric-simulation"));
    }

    /**
     * Watches one stretch of time: true when three generations were made in it and no send attempt
     * ended in it (each ends counted as a failure, no broker listening), so one send was blocked
     * throughout; false when an attempt ended first (then the caller watches another stretch).
     */
    private boolean generationsCameWhileOneSendWaited() {
        double failuresBefore = failures();
        long generationBefore = store.current().number();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> store.current().number() >= generationBefore + 3 || failures() != failuresBefore);
        return failures() == failuresBefore && store.current().number() >= generationBefore + 3;
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

    /** The system clock, noting the name of each thread that reads it from within the publisher. */
    static final class SendThreadsClock extends Clock {

        private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
        private final Set<String> sendThreads = ConcurrentHashMap.newKeySet();

        Set<String> sendThreads() {
            return Set.copyOf(sendThreads);
        }

        @Override
        public Instant instant() {
            if (STACK.walk(frames -> frames.anyMatch(frame -> frame.getDeclaringClass() == GenerationPublisher.class))) {
                sendThreads.add(Thread.currentThread().getName());
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
