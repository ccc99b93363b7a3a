package io.fabrictelemetry.generator.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabrictelemetry.generator.simulation.CsvBody;
import io.fabrictelemetry.generator.simulation.Generation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Sinks;

/**
 * An {@link Error} while a generation's record is made (an {@code OutOfMemoryError} copying a large
 * body) is a failed attempt like any other: counted, and the generation tried again; the publisher
 * keeps publishing. No broker listens: every later attempt fails at the topic's setup, which is
 * enough to see that attempts go on.
 */
class GenerationPublisherErrorTests {

    private final Sinks.Many<Generation> generations = Sinks.many().replay().latest();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private GenerationPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
            publisher.destroy();
        }
    }

    @Test
    void anErrorWhileARecordIsMadeIsCountedAndTheGenerationIsTriedAgain() {
        FailingOnceClock clock = new FailingOnceClock();
        publisher = new GenerationPublisher(new PushSettings("127.0.0.1:" + freePort(), "generator-push-error", "fabric",
                false, Duration.ofMillis(500)), generations.asFlux(), clock, registry);
        publisher.start();

        generations.tryEmitNext(generation(1));
        // the Error (the first record made) counted, then generation 1 made again and its send failed too
        await().atMost(Duration.ofSeconds(60)).until(() -> clock.calls.get() >= 2 && failures() >= 2);

        int before = clock.calls.get();
        generations.tryEmitNext(generation(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> clock.calls.get() > before && failures() >= 3);
    }

    private double failures() {
        return registry.get("fabric.generator.publish.failures").counter().count();
    }

    private static Generation generation(long number) {
        byte[] csv = ("switch_id,latency_us\nsw-0001," + number + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] ports = "Port,Node_GUID\n".getBytes(StandardCharsets.UTF_8);
        return new Generation(number, Instant.parse("2026-12-07T10:00:00Z").plusSeconds(number),
                "\"g-" + number + "\"", csv, 0, "\"g-" + number + "-ports\"", new CsvBody(ports, ports.length), 0);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock whose first reading (the first record's {@code collected-at}) throws an {@link Error}. */
    private static final class FailingOnceClock extends Clock {

        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Instant instant() {
            if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("the test's: no room for the record");
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
