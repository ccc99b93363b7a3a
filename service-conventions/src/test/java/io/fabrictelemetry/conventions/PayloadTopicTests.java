package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import io.fabrictelemetry.conventions.PayloadTopic.Outcome;
import io.fabrictelemetry.conventions.PayloadTopic.Requirements;

/** Against a real KRaft broker in the test JVM. */
class PayloadTopicTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static EmbeddedKafkaKraftBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        admin = Admin.create(PayloadTopic.adminConfig(broker.getBrokersAsString(), "test", TIMEOUT));
    }

    @AfterAll
    static void stopBroker() {
        admin.close();
        broker.destroy();
    }

    /** A topic just created is known to the broker's metadata a moment after the controller answered. */
    private static void awaitKnown(String topic) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get().containsKey(topic));
    }

    private static Config config(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    @Test
    void requirementsAddTheMarginToTheHistoryAndTheRecordOverheadToThePayload() {
        Requirements required = Requirements.of("t", Duration.ofMinutes(15), 64L * 1024 * 1024);
        assertThat(required.retentionMs()).isEqualTo(Duration.ofMinutes(75).toMillis());
        assertThat(required.maxMessageBytes()).isEqualTo(64 * 1024 * 1024 + 64 * 1024);
    }

    @Test
    void aMissingTopicIsCreatedWithOnePartitionTheRetentionAndTheMessageSize() throws Exception {
        Requirements required = Requirements.of("created", Duration.ofMinutes(15), 10_000_000);
        assertThat(PayloadTopic.ensure(admin, required, TIMEOUT)).isEqualTo(Outcome.CREATED);
        awaitKnown("created");
        assertThat(admin.describeTopics(List.of("created")).allTopicNames().get().get("created").partitions())
                .hasSize(1);
        Config config = config("created");
        assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(required.retentionMs()));
        assertThat(config.get("max.message.bytes").value()).isEqualTo(Integer.toString(required.maxMessageBytes()));
        assertThat(PayloadTopic.ensure(admin, required, TIMEOUT)).isEqualTo(Outcome.EXISTED);
    }

    @Test
    void anExistingTopicAllowingLessIsRaisedAndOneAllowingMoreIsLeftAlone() throws Exception {
        admin.createTopics(List.of(new NewTopic("small", Optional.of(1), Optional.empty())
                .configs(Map.of("retention.ms", "60000", "max.message.bytes", "1000")))).all().get();
        awaitKnown("small");
        Requirements required = Requirements.of("small", Duration.ofMinutes(15), 10_000_000);
        assertThat(PayloadTopic.ensure(admin, required, TIMEOUT)).isEqualTo(Outcome.RAISED);
        // the broker describes an altered config a moment after the controller answered
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(config("small").get("retention.ms").value()).isEqualTo(Long.toString(required.retentionMs()));
            assertThat(config("small").get("max.message.bytes").value())
                    .isEqualTo(Integer.toString(required.maxMessageBytes()));
        });

        admin.createTopics(List.of(new NewTopic("large", Optional.of(1), Optional.empty())
                .configs(Map.of("retention.ms", "-1", "max.message.bytes", "200000000")))).all().get();
        awaitKnown("large");
        assertThat(PayloadTopic.ensure(admin, required, TIMEOUT)).isEqualTo(Outcome.EXISTED);
        assertThat(config("large").get("retention.ms").value()).isEqualTo("-1");
        assertThat(config("large").get("max.message.bytes").value()).isEqualTo("200000000");
    }
}
