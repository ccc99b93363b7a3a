package io.fabrictelemetry.conventions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * The payload topic's record format, written by the metrics-service publisher and the generator's
 * push mode, read by the metrics-service consumers (issue 23).
 *
 * <ul>
 * <li>One record per accepted payload, always on partition {@value #PARTITION} of the topic (created
 *     with one partition: the sequence is per partition).</li>
 * <li>Key: the source's name ({@code SOURCE_NAME}) in UTF-8.</li>
 * <li>Value: the payload's bytes exactly as received.</li>
 * <li>Headers, values in UTF-8, instants as {@link TimeFormat} writes them (ISO-8601 UTC, milliseconds):
 *     {@value #SAMPLED_AT} only when the source said it ({@code X-Sampled-At}, or the generator's own
 *     generation time); {@value #COLLECTED_AT} when the publisher received it; {@value #CONTENT_TYPE}
 *     the source's {@code Content-Type} ({@value #DEFAULT_CONTENT_TYPE} when it sent none);
 *     {@value #SOURCE_ETAG} only when the source sent an ETag.</li>
 * <li>Identity from the log: a snapshot built from the record at {@code offset} has
 *     {@link #sequence sequence} {@code offset + 1} and the {@link #etag ETag}
 *     {@code "k-<topic>-<partition>-<offset>"}, the same on every replica and after every restart.</li>
 * </ul>
 */
public final class PayloadRecords {

    /** The topic when {@code KAFKA_TOPIC} is not set. */
    public static final String DEFAULT_TOPIC = "fabric-telemetry.payloads";
    /** The one partition records are written to and read from. */
    public static final int PARTITION = 0;

    public static final String SAMPLED_AT = "sampled-at";
    public static final String COLLECTED_AT = "collected-at";
    public static final String CONTENT_TYPE = "content-type";
    public static final String SOURCE_ETAG = "source-etag";
    /** The {@value #CONTENT_TYPE} of a payload whose source sent no {@code Content-Type}. */
    public static final String DEFAULT_CONTENT_TYPE = "text/csv";

    private PayloadRecords() {
    }

    /**
     * One payload as the log holds it. Instants are kept to the millisecond, as the headers carry
     * them: what a consumer reads back equals what the publisher wrote.
     *
     * @param source      the source's name (the key)
     * @param body        the payload's bytes exactly as received (not copied: never change them)
     * @param sampledAt   when the source says the data was sampled, or {@code null} when it said nothing
     * @param collectedAt when the publisher received the payload
     * @param contentType the source's {@code Content-Type}
     * @param sourceEtag  the source's ETag, or {@code null} when it sent none
     */
    public record Payload(String source, byte[] body, @Nullable Instant sampledAt, Instant collectedAt,
            String contentType, @Nullable String sourceEtag) {

        public Payload {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(collectedAt, "collectedAt");
            Objects.requireNonNull(contentType, "contentType");
            sampledAt = sampledAt == null ? null : sampledAt.truncatedTo(ChronoUnit.MILLIS);
            collectedAt = collectedAt.truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** The record of {@code payload} for {@code topic}, on partition {@value #PARTITION}. */
    public static ProducerRecord<byte[], byte[]> record(String topic, Payload payload) {
        Headers headers = new RecordHeaders();
        if (payload.sampledAt() != null) {
            headers.add(header(SAMPLED_AT, TimeFormat.iso(payload.sampledAt())));
        }
        headers.add(header(COLLECTED_AT, TimeFormat.iso(payload.collectedAt())));
        headers.add(header(CONTENT_TYPE, payload.contentType()));
        if (payload.sourceEtag() != null) {
            headers.add(header(SOURCE_ETAG, payload.sourceEtag()));
        }
        return new ProducerRecord<>(topic, PARTITION, null, utf8(payload.source()), payload.body(), headers);
    }

    /**
     * The payload a record holds.
     *
     * @throws UnusableRecordException when it has no key or value, no {@value #COLLECTED_AT}, or an
     *                                 instant that is not ISO-8601 (a record to count and skip)
     */
    public static Payload read(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            throw new UnusableRecordException("record at offset " + record.offset() + " has no key (source name)");
        }
        if (record.value() == null) {
            throw new UnusableRecordException("record at offset " + record.offset() + " has no value (payload)");
        }
        Instant collectedAt = instant(record, COLLECTED_AT);
        if (collectedAt == null) {
            throw new UnusableRecordException("record at offset " + record.offset() + " has no " + COLLECTED_AT
                    + " header");
        }
        String contentType = text(record.headers(), CONTENT_TYPE);
        return new Payload(new String(record.key(), StandardCharsets.UTF_8), record.value(),
                instant(record, SAMPLED_AT), collectedAt, contentType == null ? DEFAULT_CONTENT_TYPE : contentType,
                text(record.headers(), SOURCE_ETAG));
    }

    /** The sequence of the snapshot built from the record at {@code offset}: {@code offset + 1}. */
    public static long sequence(long offset) {
        return offset + 1;
    }

    /** The strong ETag of the snapshot built from the record at {@code offset}: {@code "k-<topic>-<partition>-<offset>"}. */
    public static String etag(String topic, int partition, long offset) {
        return "\"k-" + topic + "-" + partition + "-" + offset + "\"";
    }

    /** The last value of header {@code name} in UTF-8, or {@code null} when absent. */
    public static @Nullable String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static @Nullable Instant instant(ConsumerRecord<byte[], byte[]> record, String name) {
        String text = text(record.headers(), name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UnusableRecordException("record at offset " + record.offset() + " has an unreadable " + name
                    + " header '" + text + "'");
        }
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, utf8(value));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A record that is not a payload of this format: counted and skipped, never applied. */
    public static final class UnusableRecordException extends RuntimeException {

        public UnusableRecordException(String message) {
            super(message);
        }
    }
}
