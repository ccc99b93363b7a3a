package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@link KafkaProbe}'s schedule in a running publisher: with {@code poll.interval=1h} nothing is
 * published after the start (and here the source does not even answer), yet a broker that goes away
 * turns the {@code kafka} health component DOWN by itself, without any call by hand. A broker of this
 * class's own, which the test stops.
 */
class KafkaProbeScheduleTests {

    @Test
    void aBrokerThatGoesAwayTurnsKafkaHealthDownWithoutAnyPollOrPublish() throws Exception {
        try (RestartableBroker broker = new RestartableBroker();
                Replica publisher = Replica.start(Map.of("ingest.mode", "publish",
                        "kafka.bootstrap-servers", broker.servers(), "kafka.topic", KafkaTestBroker.topic("probe"),
                        "generator.url", "http://" + KafkaTestBroker.unreachable(),
                        "poll.interval", "1h", "poll.timeout", "2s"), "stale.after", "2h")) {
            // the probe's first look sets the topic up: UP with nothing published
            await().atMost(Duration.ofSeconds(60)).until(() -> publisher.text("/actuator/health/kafka")
                    .contains("\"UP\""));
            assertThat(publisher.text("/actuator/health/kafka")).contains("\"topicReady\":true");

            broker.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> publisher.text("/actuator/health/kafka")
                    .contains("\"DOWN\""));
            assertThat(publisher.text("/actuator/health/kafka")).contains("\"consecutivePublishFailures\":0")
                    .contains("the broker does not answer");
        }
    }
}
