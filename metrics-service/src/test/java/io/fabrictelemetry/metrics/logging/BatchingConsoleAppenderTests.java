package io.fabrictelemetry.metrics.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

/** The access log's appender, on a private logger context, writing to a captured standard output. */
class BatchingConsoleAppenderTests {

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;
    private Logger logger;

    @BeforeEach
    void captureStandardOutput() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        context.setMDCAdapter(new LogbackMDCAdapter());
        logger = context.getLogger("access");
    }

    @AfterEach
    void restoreStandardOutput() {
        System.setOut(original);
        context.stop();
    }

    private String output() {
        synchronized (System.out) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    private List<String> ours() {
        return output().lines().filter(line -> line.startsWith("INFO request ")).toList();
    }

    private BatchingConsoleAppender appender(int queueSize, long flushIntervalMillis) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %msg%n");
        encoder.start();
        BatchingConsoleAppender appender = new BatchingConsoleAppender();
        appender.setContext(context);
        appender.setName("ACCESS");
        appender.setEncoder(encoder);
        appender.setQueueSize(queueSize);
        appender.setFlushIntervalMillis(flushIntervalMillis);
        appender.start();
        return appender;
    }

    @Test
    void linesAppearInOrderSoonAfterBeingLogged() {
        BatchingConsoleAppender appender = appender(1_000, 20);
        logger.addAppender(appender);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            logger.info("request {}", i);
            expected.add("INFO request " + i);
        }
        // other contexts alive in this test JVM may print too: look at this logger's lines only
        await().atMost(Duration.ofSeconds(10)).until(() -> ours().size() == 500);
        assertThat(ours()).containsExactlyElementsOf(expected);
        appender.stop();
    }

    @Test
    void stoppingWritesWhatIsStillQueued() {
        BatchingConsoleAppender appender = appender(1_000, 60_000); // would not flush on its own for a minute
        logger.addAppender(appender);
        logger.info("last words");
        appender.stop();
        assertThat(output().lines()).contains("INFO last words");
    }

    @Test
    void aFullQueueDropsLinesWithoutWaitingAndSaysHowMany() {
        BatchingConsoleAppender appender = appender(10, 60_000);
        logger.addAppender(appender);
        for (int i = 0; i < 25; i++) {
            logger.info("line {}", i); // returns at once: nothing drains the queue for a minute
        }
        appender.stop();
        List<String> lines = output().lines().filter(line -> line.startsWith("INFO line ") || line.startsWith("WARN ACCESS:"))
                .toList();
        assertThat(lines).hasSize(11);
        assertThat(lines.subList(0, 10)).containsExactly("INFO line 0", "INFO line 1", "INFO line 2", "INFO line 3",
                "INFO line 4", "INFO line 5", "INFO line 6", "INFO line 7", "INFO line 8", "INFO line 9");
        assertThat(lines.get(10)).isEqualTo("WARN ACCESS: 15 lines dropped, the queue of 10 was full");
    }

    @Test
    void eventsArePreparedOnTheLoggingThread() throws InterruptedException {
        BatchingConsoleAppender appender = appender(10, 60_000);
        LoggingEvent event = new LoggingEvent("test", logger, Level.INFO, "value {}", null, new Object[] {42});
        Thread logging = new Thread(() -> {
            context.getMDCAdapter().put("request", "r-1");
            appender.doAppend(event);
            context.getMDCAdapter().clear();
        }, "the-logging-thread");
        logging.start();
        logging.join();
        appender.stop();
        // read later on another thread: what was captured on the logging thread, not this thread's
        assertThat(event.getThreadName()).isEqualTo("the-logging-thread");
        assertThat(event.getMDCPropertyMap()).containsEntry("request", "r-1");
    }

    @Test
    void linesLoggedAfterStopAreRefusedNotLost() {
        BatchingConsoleAppender appender = appender(10, 60_000);
        logger.addAppender(appender);
        logger.info("before");
        appender.stop();
        logger.info("after");
        assertThat(output().lines()).contains("INFO before").doesNotContain("INFO after");
        assertThat(appender.isStarted()).isFalse();
    }

    @Test
    void refusesToStartWithoutAnEncoder() {
        BatchingConsoleAppender appender = new BatchingConsoleAppender();
        appender.setContext(context);
        appender.start();
        assertThat(appender.isStarted()).isFalse();
    }
}
