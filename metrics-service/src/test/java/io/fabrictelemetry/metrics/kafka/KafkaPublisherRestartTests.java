package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.ingest.PollOutcome;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.ingest.ReplayedRecords;
import io.fabrictelemetry.metrics.ingest.ScriptedPollLoop;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import kafka.server.BrokerServer;

/**
 * The broker stopped and started again under a publisher: a broker of this class's own, whose broker
 * server (not its controller, not its log) is shut down and started up again on the same address
 * (the publisher's bootstrap address stays the one it was given).
 */
class KafkaPublisherRestartTests {

    // packet_errors is a counter: each snapshot's packet_errors_per_second is derived from its previous one
    private static final String CSV = "switch_id,latency_us,packet_errors\r\nsw-0001,1.5,100\r\n";
    private static final String CSV_2 = "switch_id,latency_us,packet_errors\r\nsw-0001,2.5,1000\r\n";
    private static final String CSV_3 = "switch_id,latency_us,packet_errors\r\nsw-0001,3.5,1100\r\n";

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EmbeddedKafkaKraftBroker broker;
    private KafkaPublisher publisher;

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.destroy();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    private double failures(String reason) {
        return registry.get("fabric.kafka.publish.failures").tag("reason", reason).counter().count();
    }

    private Status health() {
        return new KafkaHealthIndicator(publisher, Clock.systemUTC()).health().getStatus();
    }

    @Test
    void whileTheBrokerIsDownPayloadsAreServedUnloggedAndPublishingResumesWithTheNextPayloadWhenItIsBack() {
        broker = KafkaTestBroker.own();
        String bootstrap = broker.getBrokersAsString();
        String topic = KafkaTestBroker.topic("restart");
        KafkaSettings settings = new KafkaSettings(IngestMode.PUBLISH, bootstrap, topic, "src");
        // the publish bound: generous for a healthy broker on a loaded machine, and what an outage costs a poll
        publisher = new KafkaPublisher(settings, new PollProperties(Duration.ofSeconds(10), Duration.ofSeconds(8),
                DataSize.ofMegabytes(1)), new HistoryProperties(Duration.ofMinutes(15), DataSize.ofMegabytes(64)), store,
                registry, Clock.systemUTC());
        ScriptedPollLoop loop = new ScriptedPollLoop(store, publisher, registry);
        publisher.probe(); // sets the topic up, as KafkaProbe does at start
        assertThat(loop.answer(CSV, "\"g-1\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().sequence()).isEqualTo(1);

        BrokerServer server = KafkaTestBroker.restartable(broker);
        server.shutdown();
        server.awaitShutdown();

        assertThat(loop.answer(CSV_2, "\"g-2\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        Snapshot unlogged = store.current();
        assertThat(unlogged.generatorEtag()).isEqualTo("\"g-2\"");
        assertThat(unlogged.sequence()).isEqualTo(1);
        assertThat(unlogged.etag()).doesNotStartWith("\"k-");
        assertThat(loop.notModified()).isEqualTo(PollOutcome.NOT_MODIFIED);
        // while g-2 is served unlogged, the polls name the last logged payload: a source answers g-2 again, not 304
        assertThat(loop.etagsSent()).containsExactly(null, "\"g-1\"", "\"g-1\"");
        assertThat(failures("timeout")).isEqualTo(1);
        assertThat(health()).isEqualTo(Status.DOWN);
        publisher.probe();
        assertThat(publisher.status().lastProbeError()).isNotNull();

        server.startup();
        assertThat(broker.getBrokersAsString()).isEqualTo(bootstrap);
        // the next new payload is published once the broker answers again
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            loop.answer(CSV_3, "\"g-3\"", null, null);
            return store.current().etag().startsWith("\"k-");
        });
        publisher.probe();

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(2);
        assertThat(new String(records.get(1).value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(CSV_3);
        assertThat(store.current().sequence()).isEqualTo(2);
        assertThat(store.current().etag()).isEqualTo("\"k-" + topic + "-0-1\"");
        // what a consumer of the same two records serves, byte for byte: built on the last logged
        // snapshot (sw-0001 went from 1.5 to 3.5), not on the unlogged one (2.5) served meanwhile
        Snapshot consumer = ReplayedRecords.replay(records).current();
        assertThat(consumer.etag()).isEqualTo(store.current().etag());
        assertThat(new String(store.current().listMetricsJson(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(consumer.listMetricsJson(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(health()).isEqualTo(Status.UP);
    }
}
