package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.ingest.PollOutcome;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.ingest.ScriptedPollLoop;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Issue 23's "a 100k-switch payload end to end": a publisher (the real poll loop over a scripted source,
 * with the built-in default {@code poll.*} and {@code history.*} settings, so {@code POLL_TIMEOUT}
 * bounds each append) appends two 100,000-switch payloads to a topic of the shared broker, and a
 * consumer replica serves them: the same ListMetrics bytes (the second's rates included) under the
 * same ETag and sequence. No timing is asserted: the source answers each payload again until the
 * publisher serves it logged, as a real source does while an append is not acknowledged in time.
 */
class LargePayloadEndToEndTests {

    static final int SWITCHES = 100_000;

    @Test
    void twoPayloadsOfAHundredThousandSwitchesPublishedWithTheDefaultSettingsAreServedByAConsumerByteForByte() throws Exception {
        PollProperties defaults = defaults("poll", PollProperties.class);
        String servers = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("large-e2e");
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaPublisher publisher = new KafkaPublisher(new KafkaSettings(IngestMode.PUBLISH, servers, topic,
                "127.0.0.1:9001/counters"), defaults, defaults("history", HistoryProperties.class), store,
                registry, Clock.systemUTC());
        try (Replica consumer = Replica.consumer(servers, topic)) {
            // what KafkaProbe does first at start: the topic set up for payloads of poll.max-bytes
            publisher.probe();
            ScriptedPollLoop loop = new ScriptedPollLoop(store, publisher, registry);
            // A publisher's first record is one it builds on nothing: it does not read back what the log
            // holds before its first acknowledged offset (README, "A restarted publisher"). Should that first
            // append be written but acknowledged late, the consumers apply it, skip its copies, and differ
            // from the publisher by identity until the next record. A small first payload keeps that case out
            // of the comparison; from it on, a late acknowledgement is read back (KafkaPublisher's catch-up).
            String first = "switch_id,latency_us\r\nsw-000000,1.0\r\n";
            await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO)
                    .until(() -> loop.answer(first, "\"small\"", null, null) == PollOutcome.SUCCESS
                            && logged(store.current(), topic, "\"small\""));
            for (int generation = 1; generation <= 2; generation++) {
                String csv = payload(generation);
                String sourceEtag = "\"big-" + generation + "\"";
                // The source answers this payload until the publisher serves it logged. An append not
                // acknowledged within poll.timeout (a slow machine) is served unlogged, and the publisher
                // asks again (If-None-Match: the last logged payload's ETag) and appends it again: what a
                // real source does. How fast the broker acknowledges is not what this test asserts.
                AtomicInteger answers = new AtomicInteger();
                await().atMost(Duration.ofSeconds(120)).pollDelay(Duration.ZERO).until(() -> {
                    assertThat(loop.answer(csv, sourceEtag, null, null)).isEqualTo(PollOutcome.SUCCESS);
                    answers.incrementAndGet();
                    return logged(store.current(), topic, sourceEtag);
                });
                LoggerFactory.getLogger(LargePayloadEndToEndTests.class).info("Generation {}: {} bytes logged after {} "
                        + "answer(s) of the source; longest append to its acknowledgement so far {} ms (poll.timeout {})",
                        generation, csv.length(), answers.get(),
                        registry.get("fabric.kafka.publish.duration").timer().max(TimeUnit.MILLISECONDS),
                        defaults.timeout());
                Snapshot published = store.current();
                assertThat(published.switchCount()).isEqualTo(SWITCHES);
                if (generation == 2) {
                    assertThat(new String(published.listMetricsJson(), StandardCharsets.UTF_8))
                            .as("the second payload's counters have rates, derived from the first's")
                            .contains("\"packet_errors_per_second\"");
                }

                await().atMost(Duration.ofSeconds(120)).until(() -> consumer.sequence() == published.sequence());
                HttpResponse<byte[]> served = consumer.get("/telemetry/ListMetrics");
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.headers().firstValue("ETag")).contains(published.etag());
                assertThat(served.body()).hasSameSizeAs(published.listMetricsJson());
                // not isEqualTo: a failure would print both bodies, megabytes each
                assertThat(Arrays.mismatch(served.body(), published.listMetricsJson()))
                        .as("first byte where the consumer's ListMetrics of generation %d differs (-1: none)", generation)
                        .isEqualTo(-1);
            }
        } finally {
            publisher.destroy();
        }
    }

    /**
     * Whether {@code current} is the payload of {@code sourceEtag} under the identity the log gave it
     * (ETag {@code "k-<topic>-0-<offset>"}, sequence = offset + 1), not served unlogged.
     */
    static boolean logged(Snapshot current, String topic, String sourceEtag) {
        return current != null && sourceEtag.equals(current.generatorEtag()) && current.sequence() > 0
                && current.etag().equals(PayloadRecords.etag(topic, 0, current.sequence() - 1));
    }

    /** The settings record under {@code prefix} with nothing set: the built-in defaults. */
    static <T> T defaults(String prefix, Class<T> type) {
        return new Binder(new MapConfigurationPropertySource()).bindOrCreate(prefix, type);
    }

    /** 100,000 switches x 8 metrics (about 6.5 MB); counters grow between generations, so rates are derived. */
    static String payload(int generation) {
        StringBuilder csv = new StringBuilder(SWITCHES * 70).append("switch_id,latency_us,packet_errors,"
                + "dropped_packets,link_down_count,rx_bytes,tx_bytes,utilization,temperature_c\r\n");
        Random random = new Random(23);
        for (int i = 0; i < SWITCHES; i++) {
            csv.append(String.format(Locale.ROOT, "sw-%06d,%.3f,%d,%d,%d,%d,%d,%.4f,%.1f\r\n", i,
                    random.nextDouble() * 50, random.nextInt(1000) * generation, random.nextInt(100) * generation,
                    random.nextInt(5), random.nextLong(1L << 40) + generation * 1_000_000L,
                    random.nextLong(1L << 40) + generation * 2_000_000L, random.nextDouble(),
                    30 + random.nextDouble() * 40));
        }
        return csv.toString();
    }
}
