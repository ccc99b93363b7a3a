package io.fabrictelemetry.generator.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class SimulationLoopTests {

    private final FabricProperties config =
            new FabricProperties(5, Metric.DEFAULT_NAMES, Duration.ofSeconds(10), 42L, 400, 0.02, 0.005, 0.05);

    @Test
    void publishesTheFirstGenerationBeforeStarting() {
        GenerationStore store = new GenerationStore();
        Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:00.123456Z"), ZoneOffset.UTC);
        new SimulationLoop(config, store, clock);

        Generation first = store.current();
        assertThat(first.number()).isEqualTo(1);
        assertThat(first.sampledAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00.123Z"));
        assertThat(first.etag()).matches("\"[0-9a-f]{8}-1\"");
        assertThat(new String(first.csv(), StandardCharsets.UTF_8)).startsWith("switch_id,");
        String ports = new String(first.portsCsv().toByteArray(), StandardCharsets.US_ASCII);
        assertThat(ports).startsWith("timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,");
        assertThat(ports.lines().skip(1)).hasSize(5 * 40)
                .allSatisfy(row -> assertThat(row).startsWith("1795860000123000,0x"));
        assertThat(first.portsEtag()).isEqualTo(first.etag().replace("-1\"", "-1-ports\""));
        assertThat(first.portsDown()).isZero();
    }

    @Test
    void eachTickPublishesTheNextNumberedGenerationWithANewEtag() {
        GenerationStore store = new GenerationStore();
        SimulationLoop loop = new SimulationLoop(config, store, Clock.systemUTC());
        Generation first = store.current();
        loop.tick();
        Generation second = store.current();

        assertThat(second.number()).isEqualTo(2);
        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThat(second.etag()).startsWith(first.etag().substring(0, 9));
    }

    @Test
    void restartedGeneratorNeverReusesAnEtagEvenWithTheSameSeed() {
        GenerationStore before = new GenerationStore();
        GenerationStore after = new GenerationStore();
        new SimulationLoop(config, before, Clock.systemUTC());
        new SimulationLoop(config, after, Clock.systemUTC());

        assertThat(after.current().csv()).isEqualTo(before.current().csv());
        assertThat(after.current().etag()).isNotEqualTo(before.current().etag());
    }

    @Test
    void unseededRunPicksASeedThatReplaysTheSameSequence() {
        FabricProperties unseeded = new FabricProperties(5, Metric.DEFAULT_NAMES, Duration.ofSeconds(10), null,
                400, 0.02, 0.005, 0.05);
        GenerationStore store = new GenerationStore();
        SimulationLoop loop = new SimulationLoop(unseeded, store, Clock.systemUTC());
        loop.tick();

        FabricProperties replay = new FabricProperties(5, Metric.DEFAULT_NAMES, Duration.ofSeconds(10), loop.seed(),
                400, 0.02, 0.005, 0.05);
        GenerationStore replayStore = new GenerationStore();
        new SimulationLoop(replay, replayStore, Clock.systemUTC()).tick();

        assertThat(replayStore.current().csv()).isEqualTo(store.current().csv());
    }

    @Test
    void startedLoopAdvancesOnItsPeriodAndStopsCleanly() throws Exception {
        FabricProperties fast = new FabricProperties(5, Metric.DEFAULT_NAMES, Duration.ofMillis(20), 1L,
                400, 0.02, 0.005, 0.05);
        GenerationStore store = new GenerationStore();
        SimulationLoop loop = new SimulationLoop(fast, store, Clock.systemUTC());
        loop.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> store.current().number() >= 3);
        } finally {
            loop.stop();
        }
        assertThat(loop.isRunning()).isFalse();
        long stoppedAt = store.current().number();
        // a stopped loop publishes nothing more: its scheduler is disposed
        org.awaitility.Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> store.current().number() == stoppedAt);
    }

    @Test
    void stepsRunOnTheFabricSimulationThreadAndTheFirstComesNoSoonerThanOnePeriodAfterStart() {
        FabricProperties fast = new FabricProperties(5, Metric.DEFAULT_NAMES, Duration.ofMillis(300), 1L,
                400, 0.02, 0.005, 0.05);
        java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Long> nanos = new java.util.concurrent.CopyOnWriteArrayList<>();
        Clock recording = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                threads.add(Thread.currentThread().getName());
                nanos.add(System.nanoTime());
                return Instant.now();
            }
        };
        GenerationStore store = new GenerationStore();
        SimulationLoop loop = new SimulationLoop(fast, store, recording);
        long startedAt = System.nanoTime();
        loop.start();
        try {
            assertThat(loop.isRunning()).isTrue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> store.current().number() >= 2);
        } finally {
            loop.stop();
        }
        // generation 1 was built by the constructor, on this thread; the first step waits a whole period
        assertThat(threads.get(0)).isEqualTo(Thread.currentThread().getName());
        assertThat(nanos.get(1) - startedAt).isGreaterThanOrEqualTo(fast.period().toNanos());
        assertThat(threads.subList(1, threads.size())).isNotEmpty().allMatch(name -> name.startsWith("fabric-simulation"));
    }
}
