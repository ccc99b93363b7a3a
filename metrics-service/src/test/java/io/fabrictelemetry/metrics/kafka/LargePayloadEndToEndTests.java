package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

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
 * consumer replica serves them: the same ListMetrics bytes (rates included) under the same ETag.
 */
class LargePayloadEndToEndTests {

    static final int SWITCHES = 100_000;

    @Test
    void twoHundredThousandSwitchPayloadsPublishedWithTheDefaultTimeoutAreServedByAConsumerByteForByte() throws Exception {
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
            for (int generation = 1; generation <= 2; generation++) {
                String csv = payload(generation);
                assertThat(loop.answer(csv, "\"big-" + generation + "\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
                // how much of the bound the append took: the margin of POLL_TIMEOUT at this size
                LoggerFactory.getLogger(LargePayloadEndToEndTests.class).info("Generation {}: {} bytes appended and "
                        + "acknowledged in {} ms at most so far (poll.timeout {})", generation, csv.length(),
                        registry.get("fabric.kafka.publish.duration").timer().max(TimeUnit.MILLISECONDS),
                        defaults.timeout());
                Snapshot published = store.current();
                assertThat(published.switchCount()).isEqualTo(SWITCHES);
                assertThat(published.etag()).as("acknowledged within poll.timeout " + defaults.timeout())
                        .isEqualTo(PayloadRecords.etag(topic, 0, generation - 1));

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
