package io.fabrictelemetry.conventions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadRecords.Payload;

class PayloadRecordsTests {

    private static final byte[] BODY = "switch_id,latency_us\nsw-0001,1.5\n".getBytes(StandardCharsets.UTF_8);

    private static ConsumerRecord<byte[], byte[]> asRead(ProducerRecord<byte[], byte[]> written, long offset) {
        return new ConsumerRecord<>(written.topic(), written.partition(), offset, 0L, TimestampType.CREATE_TIME,
                -1, -1, written.key(), written.value(), written.headers(), Optional.empty());
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void recordCarriesTheSourceAsKeyThePayloadBytesAsValueAndTheContractHeaders() {
        Payload payload = new Payload("generator:9001/counters", BODY, Instant.parse("2026-12-07T09:00:00.123456Z"),
                Instant.parse("2026-12-07T09:00:01.5Z"), "text/csv;charset=utf-8", "\"gen-42\"");
        ProducerRecord<byte[], byte[]> record = PayloadRecords.record("payloads", payload);
        assertThat(record.topic()).isEqualTo("payloads");
        assertThat(record.partition()).isEqualTo(0);
        assertThat(record.key()).isEqualTo("generator:9001/counters".getBytes(StandardCharsets.UTF_8));
        assertThat(record.value()).isSameAs(BODY);
        assertThat(header(record, "sampled-at")).isEqualTo("2026-12-07T09:00:00.123Z");
        assertThat(header(record, "collected-at")).isEqualTo("2026-12-07T09:00:01.500Z");
        assertThat(header(record, "content-type")).isEqualTo("text/csv;charset=utf-8");
        assertThat(header(record, "source-etag")).isEqualTo("\"gen-42\"");
    }

    @Test
    void sampledAtAndSourceEtagAreLeftOutWhenTheSourceSaidNothing() {
        ProducerRecord<byte[], byte[]> record = PayloadRecords.record("payloads",
                new Payload("s", BODY, null, Instant.parse("2026-12-07T09:00:01Z"), "text/csv", null));
        assertThat(record.headers().lastHeader("sampled-at")).isNull();
        assertThat(record.headers().lastHeader("source-etag")).isNull();
        assertThat(header(record, "collected-at")).isEqualTo("2026-12-07T09:00:01.000Z");
    }

    @Test
    void whatIsReadBackEqualsWhatWasWrittenToTheMillisecond() {
        Payload written = new Payload("s", BODY, Instant.parse("2026-12-07T09:00:00.123456Z"),
                Instant.parse("2026-12-07T09:00:01.987654Z"), "text/csv", "\"e\"");
        Payload read = PayloadRecords.read(asRead(PayloadRecords.record("t", written), 7));
        assertThat(read.source()).isEqualTo("s");
        assertThat(read.body()).isEqualTo(BODY);
        assertThat(read.sampledAt()).isEqualTo(Instant.parse("2026-12-07T09:00:00.123Z")).isEqualTo(written.sampledAt());
        assertThat(read.collectedAt()).isEqualTo(Instant.parse("2026-12-07T09:00:01.987Z"))
                .isEqualTo(written.collectedAt());
        assertThat(read.contentType()).isEqualTo("text/csv");
        assertThat(read.sourceEtag()).isEqualTo("\"e\"");
    }

    @Test
    void aRecordWithoutCollectedAtOrWithAnUnreadableInstantIsUnusable() {
        var noCollectedAt = new ConsumerRecord<>("t", 0, 3L, "s".getBytes(StandardCharsets.UTF_8), BODY);
        assertThatThrownBy(() -> PayloadRecords.read(noCollectedAt))
                .isInstanceOf(PayloadRecords.UnusableRecordException.class).hasMessageContaining("collected-at");
        var headers = new RecordHeaders().add("collected-at", "yesterday".getBytes(StandardCharsets.UTF_8));
        var unreadable = new ConsumerRecord<>("t", 0, 4L, 0L, TimestampType.CREATE_TIME, -1, -1,
                "s".getBytes(StandardCharsets.UTF_8), BODY, headers, Optional.<Integer>empty());
        assertThatThrownBy(() -> PayloadRecords.read(unreadable))
                .isInstanceOf(PayloadRecords.UnusableRecordException.class).hasMessageContaining("'yesterday'");
        var noKey = new ConsumerRecord<byte[], byte[]>("t", 0, 5L, null, BODY);
        assertThatThrownBy(() -> PayloadRecords.read(noKey)).isInstanceOf(PayloadRecords.UnusableRecordException.class);
    }

    @Test
    void identityComesFromTheOffset() {
        assertThat(PayloadRecords.sequence(0)).isEqualTo(1);
        assertThat(PayloadRecords.sequence(41)).isEqualTo(42);
        assertThat(PayloadRecords.etag("fabric-telemetry.payloads", 0, 41))
                .isEqualTo("\"k-fabric-telemetry.payloads-0-41\"");
        assertThat(EntityTags.withSuffix(PayloadRecords.etag("t", 0, 41), "-gzip")).isEqualTo("\"k-t-0-41-gzip\"");
    }
}
