package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A consumer whose topic is deleted and created again under it (its offsets go back): it refuses to
 * apply the new log's records, whose sequences and ETags were already served for other snapshots,
 * serves the last snapshot, and its {@code kafka} health says why; until then its health reason is
 * the failure it last met (here: no topic yet), not a guess.
 */
class ConsumerOffsetsGoBackTests {

    static final String SOURCE = "127.0.0.1:9001/counters";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void offsetsThatGoBackStopTheConsumerWhichServesTheLastSnapshotAndSaysWhyInItsKafkaHealth() throws Exception {
        String servers = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("recreated");
        Instant base = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        try (PayloadAppender broker = new PayloadAppender(servers);
                Replica replica = Replica.consumer(servers, topic)) {
            // no publisher has made the topic yet: the broker answers, and the reason says what is wrong
            await().atMost(WAIT).until(() -> kafka(replica).at("/status").asString().equals("DOWN"));
            assertThat(kafka(replica).at("/details/reason").asString())
                    .contains("has no partition 0 (yet): is a publisher running?")
                    .doesNotContain("does not answer");

            broker.createTopic(topic);
            long last = 0;
            for (int n = 1; n <= 3; n++) {
                last = append(broker, topic, base, n);
            }
            long applied = last;
            await().atMost(WAIT).until(() -> replica.sequence() == PayloadRecords.sequence(applied));
            await().atMost(WAIT).until(() -> kafka(replica).at("/status").asString().equals("UP"));
            byte[] body = replica.get("/telemetry/ListMetrics").body();
            double appliedCount = replica.bean(MeterRegistry.class).counter("fabric.kafka.records.applied").count();

            // the topic deleted and created again: its records start at offset 0 once more
            broker.deleteTopic(topic);
            broker.createTopic(topic);
            append(broker, topic, base, 4);
            await().atMost(WAIT).until(() -> kafka(replica).at("/status").asString().equals("DOWN"));
            assertThat(kafka(replica).at("/details/reason").asString()).contains("went back from 3 to ")
                    .contains("restart this replica");

            // the new log's records, at offsets already served, are not applied: the last snapshot stays
            append(broker, topic, base, 5);
            ConsumerTracker tracker = replica.bean(ConsumerTracker.class);
            await().atMost(WAIT).until(() -> tracker.status().endOffset() == 2);
            assertThat(replica.sequence()).isEqualTo(PayloadRecords.sequence(applied));
            assertThat(replica.get("/telemetry/ListMetrics").body()).isEqualTo(body);
            assertThat(replica.bean(MeterRegistry.class).counter("fabric.kafka.records.applied").count())
                    .isEqualTo(appliedCount);
            assertThat(kafka(replica).at("/status").asString()).isEqualTo("DOWN");
            // the thread is not stuck: it still comes round its loop, and the broker still answers it
            assertThat(JSON.readTree(replica.text("/actuator/health")).at("/components/consumerLiveness/status")
                    .asString()).isEqualTo("UP");
            assertThat(tracker.status().reachable()).isTrue();
        }
    }

    static long append(PayloadAppender broker, String topic, Instant base, int n) throws Exception {
        String csv = "switch_id,rx_bytes\r\nsw-1," + (1000L * n * n) + "\r\n";
        return broker.append(topic, SOURCE, csv, base.plusSeconds(10L * n), "\"r-" + n + "\"");
    }

    static JsonNode kafka(Replica replica) throws Exception {
        return JSON.readTree(replica.text("/actuator/health")).at("/components/kafka");
    }
}
