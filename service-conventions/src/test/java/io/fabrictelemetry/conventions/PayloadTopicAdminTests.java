package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * The admin client of {@link PayloadTopic#adminConfig} while nothing answers at the broker's address:
 * a call waits and fails within its timeout without the client going round a rebootstrap loop (Kafka's
 * default made it about 900 rounds a second, each one said by {@code AdminMetadataManager}).
 */
class PayloadTopicAdminTests {

    private static final String METADATA_LOGGER = "org.apache.kafka.clients.admin.internals.AdminMetadataManager";

    private final ListAppender<ILoggingEvent> said = new ListAppender<>();
    private Logger logger;
    private Level level;

    @BeforeEach
    void listen() {
        logger = (Logger) LoggerFactory.getLogger(METADATA_LOGGER);
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        said.start();
        logger.addAppender(said);
    }

    @AfterEach
    void restore() {
        logger.detachAppender(said);
        logger.setLevel(level);
    }

    @Test
    void aCallToAnUnreachableBrokerFailsInTimeWithoutRebootstrapping() {
        try (Admin admin = Admin.create(PayloadTopic.adminConfig("127.0.0.1:" + freePort(), "unreachable-test",
                Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        assertThat(said.list).map(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("Rebootstrapping"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
