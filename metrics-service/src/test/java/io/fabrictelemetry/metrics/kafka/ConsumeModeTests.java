package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.TimeFormat;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code INGEST_MODE=consume} against a real broker in the test JVM: replicas that read the same
 * topic serve the same answers, a replica started late or restarted rebuilds the same history, and
 * duplicates and unusable records are skipped. One broker, one topic and one long-running consumer
 * ({@link #first}) for the class, on the test JVM's shared broker; each test appends records of its own and compares other replicas
 * with {@link #first}.
 */
class ConsumeModeTests {

    static final String SOURCE = "127.0.0.1:9001/counters";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final HttpClient SSE = HttpClient.newHttpClient();

    static String servers;
    static PayloadAppender broker;
    static String topic;
    static Replica first;
    static Instant base;
    static int generation;

    @BeforeAll
    static void start() {
        servers = KafkaTestBroker.shared();
        broker = new PayloadAppender(servers);
        topic = KafkaTestBroker.topic("consume");
        broker.createTopic(topic);
        base = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        first = Replica.consumer(servers, topic);
    }

    @AfterAll
    static void stop() {
        if (first != null) {
            first.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** The next generation of a two-switch fabric (a counter that grows), with its own ETag; its offset. */
    static long appendGeneration() throws Exception {
        int n = ++generation;
        return broker.append(topic, SOURCE, csv(n), sampledAt(n), "\"g-" + n + "\"");
    }

    /** Generation {@code n}'s payload. */
    static String csv(int n) {
        return "switch_id,latency_us,rx_bytes\r\nsw-1," + (1 + n) + ".5," + (1000L * n * n) + "\r\nsw-2,2.5,"
                + (500L * n) + "\r\n";
    }

    static Instant sampledAt(int n) {
        return base.plusSeconds(10L * n);
    }

    static void awaitSequence(Replica replica, long offset) {
        await().atMost(WAIT).until(() -> replica.sequence() == PayloadRecords.sequence(offset));
    }

    static void awaitRead(Replica replica, long offset) {
        await().atMost(WAIT).until(() -> replica.bean(ConsumerTracker.class).status().position() > offset);
    }

    static double skipped(Replica replica, String reason) {
        return replica.bean(MeterRegistry.class).counter("fabric.kafka.records.skipped", "reason", reason).count();
    }

    static String history(Replica replica, String switchId, String metric) throws Exception {
        HttpResponse<byte[]> response = replica.get("/telemetry/GetMetricHistory?switch=" + switchId + "&metric="
                + metric);
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void aConsumerNeverPollsAndItsIngestionHealthSaysWhenARecordWasLastApplied() throws Exception {
        long offset = appendGeneration();
        awaitRead(first, offset);
        assertThat(first.hasBean("pollLoop")).isFalse();
        assertThat(first.bean(MeterRegistry.class).counter("fabric.ingest.polls", "outcome", "success").count())
                .isGreaterThanOrEqualTo(1);
        JsonNode health = JsonMapper.builder().build().readTree(first.text("/actuator/health"));
        assertThat(health.at("/components/ingestion/status").toString()).isEqualTo("\"UP\"");
        assertThat(health.at("/components/ingestion/details/lastOutcome").toString()).isEqualTo("\"success\"");
        assertThat(health.at("/components/kafka/status").toString()).isEqualTo("\"UP\"");
        assertThat(health.at("/components/kafkaCatchUp/status").toString()).isEqualTo("\"UP\"");
        await().atMost(WAIT).until(() -> first.bean(MeterRegistry.class).get("fabric.kafka.consumer.lag.records")
                .gauge().value() == 0);
    }

    @Test
    void theLivenessProbeWatchesTheConsumerThreadWhichComesRoundItsLoopWhileIdle() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        assertThat(first.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        JsonNode consumer = json.readTree(first.text("/actuator/health/liveness")).at("/components/consumerLiveness");
        assertThat(consumer.at("/status").asString()).isEqualTo("UP");
        String before = consumer.at("/details/lastProgress").asString();
        assertThat(before).isNotEmpty();
        // no record comes: the thread still comes round at each empty poll for records
        await().atMost(WAIT).until(() -> !json.readTree(first.text("/actuator/health"))
                .at("/components/consumerLiveness/details/lastProgress").asString().equals(before));
    }

    @Test
    void aStreamClientReconnectingWithLastEventIdGetsOnlyNewerSnapshots() throws Exception {
        long current = appendGeneration();
        try (Replica second = Replica.consumer(servers, topic)) {
            awaitSequence(second, current);
            long sequence = PayloadRecords.sequence(current);
            // it saw the current snapshot on another replica: the first event is the next one
            CompletableFuture<String> resumed = firstEventId(second, Long.toString(sequence));
            // one snapshot behind: the current one at once
            assertThat(firstEventId(second, Long.toString(sequence - 1)).get(30, TimeUnit.SECONDS))
                    .isEqualTo(Long.toString(sequence));
            assertThat(resumed).isNotDone();
            long next = appendGeneration();
            assertThat(resumed.get(30, TimeUnit.SECONDS)).isEqualTo(Long.toString(PayloadRecords.sequence(next)));
        }
    }

    /** The {@code id:} of the first event a stream sends after connecting with {@code Last-Event-ID}. */
    static CompletableFuture<String> firstEventId(Replica replica, String lastEventId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port()
                + "/telemetry/stream")).header("Last-Event-ID", lastEventId).GET().build();
        return SSE.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenApply(response -> {
            try (var lines = response.body()) {
                return lines.filter(line -> line.startsWith("id: ")).findFirst().orElseThrow().substring(4);
            }
        }).orTimeout(60, TimeUnit.SECONDS);
    }

    @Test
    void aConsumerStartedLateRebuildsTheSameHistoryAndKeepsItAndItsEtagsWhenRestarted() throws Exception {
        appendGeneration();
        appendGeneration();
        long offset = appendGeneration();
        awaitSequence(first, offset);
        String latency = history(first, "sw-1", "latency_us");
        String rates = history(first, "sw-1", "rx_bytes_per_second");
        assertThat(rates).contains(TimeFormat.iso(sampledAt(generation)));

        String etag;
        try (Replica late = Replica.consumer(servers, topic)) {
            awaitSequence(late, offset);
            await().atMost(WAIT).until(() -> late.text("/actuator/health/readiness").contains("\"UP\""));
            assertThat(history(late, "sw-1", "latency_us")).isEqualTo(latency);
            assertThat(history(late, "sw-1", "rx_bytes_per_second")).isEqualTo(rates);
            etag = late.get("/telemetry/ListMetrics").headers().firstValue("ETag").orElseThrow();
        }
        // the replica closed, another started in its place: the same history, and the tag the closed one
        // issued still names the snapshot it serves
        try (Replica restarted = Replica.consumer(servers, topic)) {
            awaitSequence(restarted, offset);
            assertThat(history(restarted, "sw-1", "latency_us")).isEqualTo(latency);
            assertThat(history(restarted, "sw-1", "rx_bytes_per_second")).isEqualTo(rates);
            assertThat(restarted.get("/telemetry/ListMetrics", "If-None-Match", etag).statusCode()).isEqualTo(304);
        }
    }

    @Test
    void aConsumerStartsOneRecordBeforeTheRetentionWindowSoTheWindowsFirstPointHasItsRate() throws Exception {
        String older = KafkaTestBroker.topic("window");
        broker.createTopic(older);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // two records before the 15-minute window, two within it; broker timestamps as when they were written
        int[] minutesAgo = {30, 20, 1, 0};
        for (int i = 0; i < minutesAgo.length; i++) {
            Instant at = now.minus(Duration.ofMinutes(minutesAgo[i]));
            ProducerRecord<byte[], byte[]> record = PayloadRecords.record(older, new PayloadRecords.Payload(SOURCE,
                    ("switch_id,rx_bytes\r\nsw-1," + (1000L * (i + 1) * (i + 1)) + "\r\n").getBytes(StandardCharsets.UTF_8),
                    at, at, "text/csv", "\"w-" + i + "\""));
            broker.append(new ProducerRecord<>(older, record.partition(), at.toEpochMilli(), record.key(),
                    record.value(), record.headers()));
        }
        try (Replica replica = Replica.consumer(servers, older)) {
            awaitSequence(replica, 3);
            awaitRead(replica, 3);
            // read from offset 1: the record before the window's first gives it its rate
            assertThat(replica.bean(MeterRegistry.class).counter("fabric.kafka.records.applied").count()).isEqualTo(3);
            JsonNode points = JsonMapper.builder().build()
                    .readTree(history(replica, "sw-1", "rx_bytes_per_second")).get("points");
            assertThat(points).hasSize(2);
            // (9000 - 4000) bytes over the 19 minutes from the record before the window
            assertThat(points.get(0).get("sampledAt").toString()).contains(TimeFormat.iso(now.minus(Duration.ofMinutes(1))));
            assertThat(points.get(0).get("value").doubleValue()).isCloseTo(5000.0 / (19 * 60), within(0.001));
        }
    }

    @Test
    void aSecondPublishOfTheSamePayloadIsSkipped() throws Exception {
        long applied = appendGeneration();
        awaitSequence(first, applied);
        String rateBefore = history(first, "sw-1", "rx_bytes_per_second");
        double duplicatesBefore = skipped(first, "duplicate");

        // a second publisher (a rolling update) appends the same payload: same source, same ETag
        int n = generation;
        String csv = "switch_id,latency_us,rx_bytes\r\nsw-1," + (1 + n) + ".5," + (1000L * n * n) + "\r\nsw-2,2.5,"
                + (500L * n) + "\r\n";
        long duplicate = broker.append(topic, SOURCE, csv, sampledAt(n), "\"g-" + n + "\"");
        awaitRead(first, duplicate);

        assertThat(skipped(first, "duplicate")).isEqualTo(duplicatesBefore + 1);
        assertThat(first.sequence()).isEqualTo(PayloadRecords.sequence(applied));
        assertThat(first.get("/telemetry/ListMetrics").headers().firstValue("ETag"))
                .contains(PayloadRecords.etag(topic, 0, applied));
        // no new point, no zero rate
        assertThat(history(first, "sw-1", "rx_bytes_per_second")).isEqualTo(rateBefore);

        long next = appendGeneration();
        awaitSequence(first, next);
        String rates = history(first, "sw-1", "rx_bytes_per_second");
        assertThat(rates).contains(TimeFormat.iso(sampledAt(generation)));
        assertThat(rates.split("\"sampledAt\"", -1)).hasSize(rateBefore.split("\"sampledAt\"", -1).length + 1);
    }

    @Test
    void anOlderGenerationThatASecondPublisherAppendsAfterANewerOneIsSkippedAsStale() throws Exception {
        appendGeneration();
        long newer = appendGeneration();
        awaitSequence(first, newer);
        awaitRead(first, newer);
        byte[] body = first.get("/telemetry/ListMetrics").body();
        String ratesBefore = history(first, "sw-1", "rx_bytes_per_second");
        double staleBefore = skipped(first, "stale");
        double duplicatesBefore = skipped(first, "duplicate");
        long parsedBefore = parsedPayloads(first);

        // a second publisher (a rolling update), one generation behind, appends generation n-1 after the
        // first one's generation n: not the same payload as the record before, but older
        int n = generation;
        long late = broker.append(topic, SOURCE, csv(n - 1), sampledAt(n - 1), "\"g-" + (n - 1) + "\"");
        awaitRead(first, late);
        assertThat(skipped(first, "stale")).isEqualTo(staleBefore + 1);
        assertThat(skipped(first, "duplicate")).isEqualTo(duplicatesBefore);
        assertThat(first.sequence()).isEqualTo(PayloadRecords.sequence(newer));
        assertThat(first.get("/telemetry/ListMetrics").body()).isEqualTo(body);
        // its sampled-at decides before the payload is parsed
        assertThat(parsedPayloads(first)).isEqualTo(parsedBefore);

        // with no sampled-at and no ETag, the sampledAt derived from the bytes and collected-at (as the
        // publisher derives it) decides: one collected after generation n is applied, one collected
        // between the two is then stale
        Instant collected = sampledAt(n).plusSeconds(2);
        long unsaid = broker.append(PayloadRecords.record(topic, new PayloadRecords.Payload(SOURCE,
                csv(n).replace("sw-2,2.5", "sw-2,3.5").getBytes(StandardCharsets.UTF_8), null, collected,
                "text/csv", null)));
        awaitSequence(first, unsaid);
        long unsaidOlder = broker.append(PayloadRecords.record(topic, new PayloadRecords.Payload(SOURCE,
                csv(n).replace("sw-2,2.5", "sw-2,4.5").getBytes(StandardCharsets.UTF_8), null,
                collected.minusSeconds(1), "text/csv", null)));
        awaitRead(first, unsaidOlder);
        assertThat(skipped(first, "stale")).isEqualTo(staleBefore + 2);
        assertThat(first.sequence()).isEqualTo(PayloadRecords.sequence(unsaid));
        assertThat(value(first, "sw-2", "latency_us")).isEqualTo(3.5);

        // the data never went back a generation: the counter's rate history has the one point the
        // applied record added, none for the stale ones, and the next generation follows on
        String rates = history(first, "sw-1", "rx_bytes_per_second");
        assertThat(rates.split("\"sampledAt\"", -1)).hasSize(ratesBefore.split("\"sampledAt\"", -1).length + 1);
        long next = appendGeneration();
        awaitSequence(first, next);
        assertThat(value(first, "sw-1", "rx_bytes")).isEqualTo(1000.0 * generation * generation);
    }

    static double value(Replica replica, String switchId, String metric) throws Exception {
        return JsonMapper.builder().build().readTree(replica.text("/telemetry/GetMetric?switch=" + switchId
                + "&metric=" + metric)).get("value").doubleValue();
    }

    /** How many payloads the replica has parsed (each is counted when its parse begins). */
    static long parsedPayloads(Replica replica) {
        return replica.bean(MeterRegistry.class).get("fabric.ingest.payload").summary().count();
    }

    @Test
    void recordsThatAreNoUsablePayloadAreCountedAndSkippedAndTheConsumerGoesOn() throws Exception {
        long good = appendGeneration();
        awaitSequence(first, good);
        byte[] body = first.get("/telemetry/ListMetrics").body();
        double rejected = skipped(first, "rejected");
        double missingKey = skipped(first, "missing_key");
        double unusable = skipped(first, "unusable");

        byte[] garbage = new byte[512];
        new java.util.Random(7).nextBytes(garbage);
        broker.append(record(SOURCE, garbage, true));
        broker.append(record(null, "switch_id,latency_us\r\nsw-9,1\r\n".getBytes(StandardCharsets.UTF_8), true));
        long last = broker.append(record(SOURCE, "switch_id,latency_us\r\nsw-9,1\r\n".getBytes(StandardCharsets.UTF_8),
                false));
        awaitRead(first, last);

        assertThat(skipped(first, "rejected")).isEqualTo(rejected + 1);
        assertThat(skipped(first, "missing_key")).isEqualTo(missingKey + 1);
        assertThat(skipped(first, "unusable")).isEqualTo(unusable + 1);
        assertThat(first.sequence()).isEqualTo(PayloadRecords.sequence(good));
        assertThat(first.get("/telemetry/ListMetrics").body()).isEqualTo(body);

        long next = appendGeneration();
        awaitSequence(first, next);
    }

    /** A record in the topic's format but with {@code value} as its payload; without its collected-at header if told. */
    static ProducerRecord<byte[], byte[]> record(String key, byte[] value, boolean collectedAt) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        if (collectedAt) {
            record.headers().add(new RecordHeader(PayloadRecords.COLLECTED_AT,
                    TimeFormat.iso(Instant.now()).getBytes(StandardCharsets.UTF_8)));
        }
        return record;
    }
}
