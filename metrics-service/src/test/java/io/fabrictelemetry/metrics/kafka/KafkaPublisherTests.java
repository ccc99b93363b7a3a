package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.PayloadTopic;
import io.fabrictelemetry.metrics.history.HistoryProperties;
import io.fabrictelemetry.metrics.ingest.PollOutcome;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.ingest.ScriptedPollLoop;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The publisher behind the real poll loop, against a real broker in the test JVM (the shared one). */
class KafkaPublisherTests {

    private static final String CSV = "switch_id,latency_us\r\nsw-0001,1.5\r\nsw-0002,2.5\r\n";
    private static final String CSV_2 = "switch_id,latency_us\r\nsw-0001,1.75\r\nsw-0002,2.5\r\n";
    // generous: a healthy broker must acknowledge within it also on a loaded machine
    private static final PollProperties POLL = new PollProperties(Duration.ofSeconds(30), Duration.ofSeconds(20),
            DataSize.ofMegabytes(1));
    private static final HistoryProperties HISTORY = new HistoryProperties(Duration.ofMinutes(15), DataSize.ofMegabytes(64));

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private KafkaPublisher publisher;

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.destroy();
        }
    }

    /** A publisher whose topic the probe has set up, as {@link KafkaProbe} does at start. */
    private ScriptedPollLoop publishing(String bootstrap, String topic, PollProperties poll) {
        ScriptedPollLoop loop = publishingUnprobed(bootstrap, topic, poll);
        publisher.probe();
        return loop;
    }

    /** A publisher whose probe has not looked at the broker yet. */
    private ScriptedPollLoop publishingUnprobed(String bootstrap, String topic, PollProperties poll) {
        KafkaSettings settings = new KafkaSettings(IngestMode.PUBLISH, bootstrap, topic, "127.0.0.1:9001/counters");
        publisher = new KafkaPublisher(settings, poll, HISTORY, store, registry, Clock.systemUTC());
        return new ScriptedPollLoop(store, publisher, registry);
    }

    private double failures(String reason) {
        return registry.get("fabric.kafka.publish.failures").tag("reason", reason).counter().count();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private double failures() {
        return registry.get("fabric.kafka.publish.failures").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private Status health() {
        return new KafkaHealthIndicator(publisher, Clock.systemUTC()).health().getStatus();
    }

    @Test
    void eachAcceptedPayloadIsOneRecordKeyedByTheSourceWithTheBytesAsReceivedAndTheContractHeaders() {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("publish");
        ScriptedPollLoop loop = publishing(bootstrap, topic, POLL);

        assertThat(loop.answer(CSV, "\"g-1\"", "2026-12-07T09:00:00.123456Z", "text/csv;charset=UTF-8"))
                .isEqualTo(PollOutcome.SUCCESS);
        Instant firstCollected = store.current().collectedAt();
        assertThat(loop.notModified()).isEqualTo(PollOutcome.NOT_MODIFIED);
        assertThat(loop.notModified()).isEqualTo(PollOutcome.NOT_MODIFIED);
        assertThat(loop.answer("a,b\r\n1,2\r\n", "\"g-2\"", null, "text/csv")).isEqualTo(PollOutcome.PARSE_ERROR);
        assertThat(loop.answer(CSV_2, null, null, null)).isEqualTo(PollOutcome.SUCCESS);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(2);
        ConsumerRecord<byte[], byte[]> first = records.get(0);
        assertThat(first.partition()).isEqualTo(0);
        assertThat(first.key()).isEqualTo("127.0.0.1:9001/counters".getBytes(StandardCharsets.UTF_8));
        assertThat(first.value()).isEqualTo(CSV.getBytes(StandardCharsets.UTF_8));
        assertThat(header(first, "sampled-at")).isEqualTo("2026-12-07T09:00:00.123Z");
        assertThat(header(first, "collected-at")).isEqualTo(io.fabrictelemetry.conventions.TimeFormat.iso(firstCollected));
        assertThat(header(first, "content-type")).isEqualTo("text/csv;charset=UTF-8");
        assertThat(header(first, "source-etag")).isEqualTo("\"g-1\"");
        assertThat(first.headers().toArray()).hasSize(4);
        ConsumerRecord<byte[], byte[]> second = records.get(1);
        assertThat(second.value()).isEqualTo(CSV_2.getBytes(StandardCharsets.UTF_8));
        assertThat(header(second, "sampled-at")).isNull();
        assertThat(header(second, "source-etag")).isNull();
        assertThat(header(second, "content-type")).isEqualTo("text/csv");
        assertThat(registry.get("fabric.kafka.published.records").counter().count()).isEqualTo(2);
        assertThat(failures()).isZero();
        assertThat(health()).isEqualTo(Status.UP);
    }

    @Test
    void theServedSnapshotTakesItsSequenceAndEtagFromTheAcknowledgedOffsetAndTheTimesFromTheRecord() throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("identity");
        PayloadTopic.Requirements required = PayloadTopic.Requirements.of(topic, Duration.ofMinutes(15), 1_000_000);
        // three records already in the log (another publisher's): offsets 0 to 2
        try (var other = new KafkaProducer<byte[], byte[]>(
                PayloadTopic.producerConfig(bootstrap, "other", required, Duration.ofSeconds(30)))) {
            for (int i = 0; i < 3; i++) {
                other.send(new ProducerRecord<>(topic, 0, null, new byte[0])).get();
            }
        }
        ScriptedPollLoop loop = publishing(bootstrap, topic, POLL);
        loop.answer(CSV, "\"g-1\"", "2026-12-07T09:00:00.123456Z", null);
        Snapshot first = store.current();
        loop.answer(CSV_2, "\"g-2\"", null, null);
        Snapshot second = store.current();

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(5);
        assertThat(first.sequence()).isEqualTo(records.get(3).offset() + 1).isEqualTo(4);
        assertThat(first.etag()).isEqualTo("\"k-" + topic + "-0-3\"");
        assertThat(second.sequence()).isEqualTo(5);
        assertThat(second.etag()).isEqualTo("\"k-" + topic + "-0-4\"");
        // what a consumer reads from the record: sampledAt to the millisecond, collectedAt as written
        PayloadRecords.Payload read = PayloadRecords.read(records.get(3));
        assertThat(first.sampledAt()).isEqualTo(read.sampledAt()).isEqualTo(Instant.parse("2026-12-07T09:00:00.123Z"));
        assertThat(first.collectedAt()).isEqualTo(read.collectedAt());
        assertThat(first.generatorEtag()).isEqualTo(read.sourceEtag());
        assertThat(second.sampledAt()).isEqualTo(PayloadRecords.read(records.get(4)).collectedAt());
    }

    @Test
    void withTheBrokerUnreachablePayloadsAreServedFreshUnderLocalTagsAndTheLastLoggedSequenceAndCounted() {
        PollProperties quick = new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(800), DataSize.ofMegabytes(1));
        ScriptedPollLoop loop = publishingUnprobed(KafkaTestBroker.unreachable(), KafkaTestBroker.topic("nowhere"), quick);

        assertThat(loop.answer(CSV, "\"g-1\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        Snapshot first = store.current();
        assertThat(loop.notModified()).isEqualTo(PollOutcome.NOT_MODIFIED);
        assertThat(loop.answer(CSV_2, "\"g-2\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        Snapshot second = store.current();
        // the same payload again (no If-None-Match was sent): still not logged, and no new snapshot
        assertThat(loop.answer(CSV_2, "\"g-2\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current()).isSameAs(second);

        // fresh data, served; no If-None-Match while nothing is logged, so no 304 keeps a payload out of the log
        assertThat(loop.etagsSent()).containsExactly(null, null, null, null);
        assertThat(second.generatorEtag()).isEqualTo("\"g-2\"");
        assertThat(second.listMetricsJson()).isNotEqualTo(first.listMetricsJson());
        // no sequence of its own outside the log (0 before the first record), tags no consumer issues
        assertThat(first.sequence()).isZero();
        assertThat(second.sequence()).isZero();
        assertThat(first.etag()).matches("\"[0-9a-f]{8}-1\"");
        assertThat(second.etag()).matches("\"[0-9a-f]{8}-2\"").isNotEqualTo(first.etag());
        assertThat(failures()).isEqualTo(3);
        assertThat(health()).isEqualTo(Status.DOWN);
        assertThat(loop.status().consecutiveFailures()).isZero();
        assertThat(publisher.status().lastError()).startsWith("not published to Kafka (topic): topic ")
                .contains("is not set up");
    }

    @Test
    void aBrokerNameThatDoesNotResolveIsAnUnreachableBrokerNotAFailure() {
        PollProperties quick = new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(800), DataSize.ofMegabytes(1));
        ScriptedPollLoop loop = publishing("no-such-broker.invalid:9092", KafkaTestBroker.topic("unresolved"), quick);

        assertThat(loop.answer(CSV, "\"g-1\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-1\"");
        assertThat(failures()).isEqualTo(1);
        assertThat(health()).isEqualTo(Status.DOWN);
        assertThat(publisher.status().lastError()).contains("No resolvable bootstrap urls");
    }

    @Test
    void thePollsThreadNeverSetsTheTopicUpAPayloadIsServedUnloggedWithReasonTopicUntilTheProbeHasSetItUp()
            throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("unprobed");
        PollProperties quick = new PollProperties(Duration.ofSeconds(2), Duration.ofSeconds(1), DataSize.ofMegabytes(1));
        ScriptedPollLoop loop = publishingUnprobed(bootstrap, topic, quick);

        assertThat(loop.answer(CSV, "\"g-1\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().etag()).doesNotStartWith("\"k-");
        assertThat(failures("topic")).isEqualTo(1);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                PayloadTopic.adminConfig(bootstrap, "test", Duration.ofSeconds(30)))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(topic);
        }

        publisher.probe();
        assertThat(loop.answer(CSV_2, "\"g-2\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().etag()).isEqualTo("\"k-" + topic + "-0-0\"");
        assertThat(KafkaTestBroker.records(bootstrap, topic)).hasSize(1);
    }

    // packet_errors is a counter: each snapshot's rate is derived from the snapshot it is built on
    private static final String RATES_1 = "switch_id,latency_us,packet_errors\r\nsw-0001,1.5,100\r\n";
    private static final String RATES_2 = "switch_id,latency_us,packet_errors\r\nsw-0001,2.5,1000\r\n";
    private static final String RATES_3 = "switch_id,latency_us,packet_errors\r\nsw-0001,3.5,1100\r\n";

    /**
     * A record of this publisher's source appended behind its back: what an append whose acknowledgement
     * timed out leaves in the log when it was written after all (or another publisher's record).
     */
    private static void appendBehindItsBack(String bootstrap, String topic, String csv, String etag, String sampledAt)
            throws Exception {
        PayloadTopic.Requirements required = PayloadTopic.Requirements.of(topic, Duration.ofMinutes(15), 1_000_000);
        try (var other = new KafkaProducer<byte[], byte[]>(
                PayloadTopic.producerConfig(bootstrap, "behind-its-back", required, Duration.ofSeconds(30)))) {
            other.send(PayloadRecords.record(topic, new PayloadRecords.Payload("127.0.0.1:9001/counters",
                    csv.getBytes(StandardCharsets.UTF_8), Instant.parse(sampledAt),
                    Instant.now(), "text/csv", etag))).get(30, TimeUnit.SECONDS);
        }
    }

    private static String text(Snapshot snapshot) {
        return new String(snapshot.listMetricsJson(), StandardCharsets.UTF_8);
    }

    /**
     * The publisher serves what a consumer that read {@code records} serves: the ETag of the record at
     * {@code offset} and the same ListMetrics bytes.
     */
    private void assertServesWhatAConsumerOf(List<ConsumerRecord<byte[], byte[]>> records, String topic, long offset) {
        Snapshot consumer = io.fabrictelemetry.metrics.ingest.ReplayedRecords.replay(records).current();
        assertThat(store.current().etag()).isEqualTo(consumer.etag()).isEqualTo("\"k-" + topic + "-0-" + offset + "\"");
        assertThat(text(store.current())).isEqualTo(text(consumer));
    }

    @Test
    void aRecordWrittenBesidesTheAcknowledgedAppendsIsAppliedFirstSoThePublisherServesTheConsumersBytesUnderTheirEtag()
            throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("gap");
        ScriptedPollLoop loop = publishing(bootstrap, topic, POLL);
        loop.answer(RATES_1, "\"g-1\"", "2026-12-07T09:00:00Z", null);
        appendBehindItsBack(bootstrap, topic, RATES_2, "\"g-2\"", "2026-12-07T09:00:01Z");
        loop.answer(RATES_3, "\"g-3\"", "2026-12-07T09:00:02Z", null);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(3);
        // the bytes hold the rate over g-2 (1000 to 1100 in 1 s), not over g-1 (100 to 1100 in 2 s)
        assertServesWhatAConsumerOf(records, topic, 2);
    }

    @Test
    void aCopyOfTheWrittenRecordIsSkippedAsTheConsumersSkipItAndThePublisherServesTheFirstUnderItsEtag()
            throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("copy");
        ScriptedPollLoop loop = publishing(bootstrap, topic, POLL);
        loop.answer(RATES_1, "\"g-1\"", "2026-12-07T09:00:00Z", null);
        // the append of g-2 whose acknowledgement timed out, written; the source sends g-2 again
        appendBehindItsBack(bootstrap, topic, RATES_2, "\"g-2\"", "2026-12-07T09:00:01Z");
        loop.answer(RATES_2, "\"g-2\"", "2026-12-07T09:00:01Z", null);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(3);
        // a consumer skips the copy at offset 2 (same source and ETag): it serves offset 1's snapshot
        assertServesWhatAConsumerOf(records.subList(0, 2), topic, 1);
    }

    @Test
    void afterTheTopicIsRecreatedItsLowerOffsetsAreNotServedUnderTheirEtagsWhichNamedOtherRecordsBefore()
            throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("recreated");
        ScriptedPollLoop loop = publishing(bootstrap, topic, POLL);
        loop.answer(RATES_1, "\"g-1\"", "2026-12-07T09:00:00Z", null);
        loop.answer(RATES_2, "\"g-2\"", "2026-12-07T09:00:01Z", null);
        assertThat(store.current().etag()).isEqualTo("\"k-" + topic + "-0-1\"");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                PayloadTopic.adminConfig(bootstrap, "test", Duration.ofSeconds(30)))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
        // the probe finds the topic missing, then sets it up again: empty, offsets from 0
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            publisher.probe();
            return publisher.status().topicReady() && publisher.status().lastProbeError() == null;
        });

        // more records than the old topic had: offsets 0, 1, 2 of the new one, past the old last offset (1)
        for (int g = 3; g <= 5; g++) {
            String csv = "switch_id,latency_us,packet_errors\r\nsw-0001," + g + ".5," + (1000 * g) + "\r\n";
            assertThat(loop.answer(csv, "\"g-" + g + "\"", "2026-12-07T09:00:0" + g + "Z", null))
                    .isEqualTo(PollOutcome.SUCCESS);
            // fresh, but never under a log ETag: those of the new topic named other records before
            assertThat(store.current().generatorEtag()).isEqualTo("\"g-" + g + "\"");
            assertThat(store.current().etag()).doesNotStartWith("\"k-");
        }
        assertThat(KafkaTestBroker.records(bootstrap, topic)).hasSize(3);
        // the source sends g-5 again (If-None-Match names g-2, the last logged): not appended again
        String g5 = "switch_id,latency_us,packet_errors\r\nsw-0001,5.5,5000\r\n";
        assertThat(loop.answer(g5, "\"g-5\"", "2026-12-07T09:00:05Z", null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(loop.answer(g5, "\"g-5\"", "2026-12-07T09:00:05Z", null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(loop.etagsSent()).last().isEqualTo("\"g-2\"");
        assertThat(KafkaTestBroker.records(bootstrap, topic)).hasSize(3);
        assertThat(store.current().etag()).doesNotStartWith("\"k-");
        // DOWN for good, saying why, as a consumer's refusal does
        var kafka = new KafkaHealthIndicator(publisher, Clock.systemUTC()).health();
        assertThat(kafka.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) kafka.getDetails().get("reason")).contains("went back from 1 to 0")
                .contains("restart");
    }

    /** A reader of the log that cannot finish while {@code failing}: as one whose deadline is always past. */
    private static final class FailingReader extends LogReader {

        volatile boolean failing = true;
        /** Run at each read, before it: what the test wants to see while the publisher waits for it. */
        volatile Runnable onRead = () -> { };

        FailingReader(String bootstrap, String topic) {
            super(bootstrap, topic, 1_000_000);
        }

        @Override
        List<ConsumerRecord<byte[], byte[]>> read(long from, long to, long deadlineNanos) {
            onRead.run();
            if (failing) {
                return super.read(from, to, System.nanoTime() - 1);
            }
            return super.read(from, to, deadlineNanos);
        }
    }

    private static String rates(int g) {
        return "switch_id,latency_us,packet_errors\r\nsw-0001," + g + ".5," + (1000 * g) + "\r\n";
    }

    @Test
    void whileTheRecordsBeforeItsOwnCannotBeReadEachNewPayloadIsAppendedOnceServedUnloggedAndCountedThenTheyConverge()
            throws Exception {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("catch-up");
        FailingReader reader = new FailingReader(bootstrap, topic);
        KafkaSettings settings = new KafkaSettings(IngestMode.PUBLISH, bootstrap, topic, "127.0.0.1:9001/counters");
        publisher = new KafkaPublisher(settings, POLL, HISTORY, store, registry, Clock.systemUTC(), reader);
        ScriptedPollLoop loop = new ScriptedPollLoop(store, publisher, registry);
        publisher.probe();
        var said = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        said.start();
        var logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(KafkaPublisher.class);
        logger.addAppender(said);
        try {
            catchUpFailsThenConverges(bootstrap, topic, reader, loop);
        } finally {
            logger.detachAppender(said);
        }
        // one WARN for the whole episode (4 failed reads), one INFO when it ends
        assertThat(said.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .extracting(e -> e.getFormattedMessage()).singleElement().asString().contains("catch_up");
        assertThat(said.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.INFO)
                .extracting(e -> e.getFormattedMessage()).anyMatch(m -> m.contains("read and applied"));
    }

    private void catchUpFailsThenConverges(String bootstrap, String topic, FailingReader reader, ScriptedPollLoop loop)
            throws Exception {
        loop.answer(rates(1), "\"g-1\"", "2026-12-07T09:00:01Z", null);
        appendBehindItsBack(bootstrap, topic, rates(2), "\"g-2\"", "2026-12-07T09:00:02Z");

        // g-3 at offset 2: offset 1 cannot be read, so g-3 is served unlogged, counted, kafka DOWN
        assertThat(loop.answer(rates(3), "\"g-3\"", "2026-12-07T09:00:03Z", null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().generatorEtag()).isEqualTo("\"g-3\"");
        assertThat(store.current().etag()).doesNotStartWith("\"k-");
        assertThat(failures("catch_up")).isEqualTo(1);
        assertThat(health()).isEqualTo(Status.DOWN);
        assertThat(publisher.status().lastError()).startsWith("not logged (catch_up): offset 2 of " + topic);
        // the source answers g-3 again (If-None-Match names g-1): read again, not appended again
        assertThat(loop.answer(rates(3), "\"g-3\"", "2026-12-07T09:00:03Z", null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(loop.etagsSent()).last().isEqualTo("\"g-1\"");
        assertThat(failures("catch_up")).isEqualTo(2);
        assertThat(KafkaTestBroker.records(bootstrap, topic)).hasSize(3);
        // a new payload: appended once (offset 3); its acknowledgement does not show kafka UP while the records
        // before it are read (the payload may still be served unlogged)
        List<Status> whileReading = new java.util.concurrent.CopyOnWriteArrayList<>();
        reader.onRead = () -> whileReading.add(health());
        assertThat(loop.answer(rates(4), "\"g-4\"", "2026-12-07T09:00:04Z", null)).isEqualTo(PollOutcome.SUCCESS);
        reader.onRead = () -> { };
        assertThat(whileReading).containsExactly(Status.DOWN);
        assertThat(loop.answer(rates(4), "\"g-4\"", "2026-12-07T09:00:04Z", null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(KafkaTestBroker.records(bootstrap, topic)).hasSize(4);
        assertThat(store.current().etag()).doesNotStartWith("\"k-");
        assertThat(health()).isEqualTo(Status.DOWN);

        // the read succeeds at the next poll of g-4: the publisher serves the consumers' bytes under their ETag
        reader.failing = false;
        assertThat(loop.answer(rates(4), "\"g-4\"", "2026-12-07T09:00:04Z", null)).isEqualTo(PollOutcome.SUCCESS);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(4);
        assertServesWhatAConsumerOf(records, topic, 3);
        assertThat(health()).isEqualTo(Status.UP);
        assertThat(failures("catch_up")).isEqualTo(4);
    }

    @Test
    void anOwnRecordSampledNoLaterThanTheLastAppliedIsSkippedAsTheConsumersSkipItAndCounted() {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("own-stale");
        ScriptedPollLoop loop = publishing(bootstrap, topic, POLL);
        loop.answer(rates(1), "\"g-1\"", "2026-12-07T09:00:05Z", null);
        // the source's clock stepped back (a failover, an NTP step): g-2 is older than g-1 for every reader
        assertThat(loop.answer(rates(2), "\"g-2\"", "2026-12-07T09:00:01Z", null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().etag()).isEqualTo("\"k-" + topic + "-0-0\"");
        assertThat(registry.get("fabric.kafka.records.skipped").tag("reason", "stale").counter().count()).isEqualTo(1);
        assertThat(registry.get("fabric.kafka.records.skipped").tag("reason", "duplicate").counter().count()).isZero();
        loop.answer(rates(3), "\"g-3\"", "2026-12-07T09:00:06Z", null);
        assertThat(store.current().etag()).isEqualTo("\"k-" + topic + "-0-2\"");
        assertThat(registry.get("fabric.kafka.records.skipped").tag("reason", "stale").counter().count()).isEqualTo(1);
    }

    @Test
    void afterThreeFailedProbesInARowTheNextProbeBootstrapsANewAdminClient() {
        publishingUnprobed(KafkaTestBroker.unreachable(), KafkaTestBroker.topic("renewed"), POLL);
        for (int probe = 1; probe <= KafkaPublisher.ADMIN_RENEWED_AFTER; probe++) {
            publisher.probe();
            assertThat(publisher.status().lastProbeError()).isNotNull();
            assertThat(publisher.adminsMade()).isEqualTo(1);
        }
        publisher.probe();
        assertThat(publisher.adminsMade()).isEqualTo(2);
    }

    @Test
    void aPublishWhoseDeadlinePassedBeforeTheSendSendsNothingAndIsCountedAsATimeout() {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("late");
        KafkaSettings settings = new KafkaSettings(IngestMode.PUBLISH, bootstrap, topic, "127.0.0.1:9001/counters");
        // the deadline is taken at the payload's arrival; every later reading is an hour on (what a wait for
        // the probe's first look that used the whole deadline leaves)
        java.util.concurrent.atomic.AtomicLong readings = new java.util.concurrent.atomic.AtomicLong();
        publisher = new KafkaPublisher(settings, POLL, HISTORY, store, registry, Clock.systemUTC(),
                () -> System.nanoTime() + (readings.getAndIncrement() == 0 ? 0 : TimeUnit.HOURS.toNanos(1)));
        ScriptedPollLoop loop = new ScriptedPollLoop(store, publisher, registry);
        publisher.probe();

        assertThat(loop.answer(CSV, "\"g-1\"", null, null)).isEqualTo(PollOutcome.SUCCESS);
        assertThat(store.current().etag()).doesNotStartWith("\"k-");
        assertThat(failures("timeout")).isEqualTo(1);
        assertThat(publisher.status().lastError()).contains("nothing sent").contains("deadline");
        assertThat(KafkaTestBroker.records(bootstrap, topic)).isEmpty();
    }

    /** 100,000 switches × 8 metrics: what a large fabric's generator sends (about 6.5 MB). */
    private static String hundredThousandSwitches() {
        StringBuilder csv = new StringBuilder("switch_id,latency_us,packet_errors,dropped_packets,link_down_count,"
                + "rx_bytes,tx_bytes,utilization,temperature_c\r\n");
        java.util.Random random = new java.util.Random(23);
        for (int i = 0; i < 100_000; i++) {
            csv.append(String.format(java.util.Locale.ROOT, "sw-%06d,%.3f,%d,%d,%d,%d,%d,%.4f,%.1f\r\n", i,
                    random.nextDouble() * 50, random.nextInt(1000), random.nextInt(100), random.nextInt(5),
                    random.nextLong(1L << 40), random.nextLong(1L << 40), random.nextDouble(), 30 + random.nextDouble() * 40));
        }
        return csv.toString();
    }

    @Test
    void aHundredThousandSwitchPayloadPassesWhole() {
        String bootstrap = KafkaTestBroker.shared();
        String topic = KafkaTestBroker.topic("large");
        String csv = hundredThousandSwitches();
        ScriptedPollLoop loop = publishing(bootstrap, topic, new PollProperties(Duration.ofSeconds(60),
                Duration.ofSeconds(45), DataSize.ofMegabytes(64)));

        assertThat(loop.answer(csv, "\"big\"", null, null)).isEqualTo(PollOutcome.SUCCESS);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestBroker.records(bootstrap, topic);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).isEqualTo(csv.getBytes(StandardCharsets.UTF_8));
        assertThat(store.current().switchCount()).isEqualTo(100_000);
        assertThat(store.current().etag()).isEqualTo("\"k-" + topic + "-0-0\"");
        LoggerFactory.getLogger(KafkaPublisherTests.class).info("{} bytes published (send to acknowledgement) in {} ms",
                csv.length(), registry.get("fabric.kafka.publish.duration").timer().max(TimeUnit.MILLISECONDS));
    }
}
