package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A consumer replica through a broker outage, and with a payload of 100,000 switches: a broker of the
 * class's own (it is stopped and started again, keeping its log), one topic, one consumer.
 */
class ConsumerFaultsTests {

    static final String SOURCE = "127.0.0.1:9001/counters";
    static final Duration WAIT = Duration.ofSeconds(90);

    static RestartableBroker broker;
    static PayloadAppender appender;
    static String topic;
    static Replica consumer;
    static int generation;

    @BeforeAll
    static void start() {
        broker = new RestartableBroker();
        appender = new PayloadAppender(broker.servers());
        topic = KafkaTestBroker.topic("faults");
        appender.createTopic(topic);
        consumer = Replica.consumer(broker.servers(), topic);
    }

    @AfterAll
    static void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (appender != null) {
            appender.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    static long append(String csv) throws Exception {
        int n = ++generation;
        return appender.append(topic, SOURCE, csv, Instant.now().truncatedTo(ChronoUnit.MILLIS), "\"g-" + n + "\"");
    }

    /** Until the record at {@code offset} is served and everything about it counted. */
    static void awaitSequence(long offset) {
        await().atMost(WAIT).until(() -> consumer.sequence() == PayloadRecords.sequence(offset)
                && consumer.bean(ConsumerTracker.class).status().position() > offset);
    }

    static double applied() {
        return consumer.bean(MeterRegistry.class).counter("fabric.kafka.records.applied").count();
    }

    @Test
    void whenTheBrokerStopsTheLastSnapshotIsServedHealthSaysKafkaDownAndReadingGoesOnOnceItIsBack() throws Exception {
        long before = append("switch_id,latency_us\r\nsw-1,1.5\r\n");
        awaitSequence(before);
        double appliedBefore = applied();
        HttpResponse<byte[]> served = consumer.get("/telemetry/ListMetrics");

        broker.stop();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumer.text("/actuator/health/kafka")
                    .contains("\"DOWN\""));
            HttpResponse<byte[]> during = consumer.get("/telemetry/ListMetrics");
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(during.body()).isEqualTo(served.body());
            assertThat(during.headers().firstValue("ETag")).isEqualTo(served.headers().firstValue("ETag"));
        } finally {
            broker.start();
        }

        long after = append("switch_id,latency_us\r\nsw-1,2.5\r\n");
        awaitSequence(after);
        await().atMost(WAIT).until(() -> consumer.text("/actuator/health/kafka").contains("\"UP\""));
        // the record from before the outage was not applied again
        assertThat(applied()).isEqualTo(appliedBefore + 1);
        assertThat(consumer.get("/telemetry/ListMetrics").headers().firstValue("ETag"))
                .contains(PayloadRecords.etag(topic, 0, after));
    }

    @Test
    void aPayloadOf100000SwitchesIsServedByTheConsumer() throws Exception {
        StringBuilder csv = new StringBuilder(100_000 * 60).append("switch_id,latency_us,rx_bytes,tx_bytes,"
                + "packet_errors,dropped_packets,temperature_c\r\n");
        for (int i = 0; i < 100_000; i++) {
            csv.append("big-").append(i).append(',').append(i % 97).append(".5,").append(1_000_000L + i).append(',')
                    .append(2_000_000L + i).append(",0,").append(i % 3).append(",4").append(i % 10).append("\r\n");
        }
        long offset = append(csv.toString());
        awaitSequence(offset);
        assertThat(consumer.bean(SnapshotStore.class).current().switchCount()).isGreaterThanOrEqualTo(100_000);
        HttpResponse<byte[]> one = consumer.get("/telemetry/GetMetric?switch=big-99999&metric=rx_bytes");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(new String(one.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("1099999");
    }
}
