package io.fabrictelemetry.metrics.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadRecords.Payload;

class AppliedRecordsTests {

    static final Instant T = Instant.parse("2026-12-07T12:00:00Z");
    final AppliedRecords records = new AppliedRecords();

    static Payload payload(String source, String body, Instant sampledAt, String etag) {
        return new Payload(source, body.getBytes(StandardCharsets.UTF_8), sampledAt, T.plusSeconds(3600), "text/csv",
                etag);
    }

    @Test
    void theFirstPayloadOfASourceApplies() {
        Payload first = payload("a", "g1", T, "\"g1\"");
        assertThat(records.beforeParse(first)).isNull();
        assertThat(records.afterParse(first, T)).isNull();
    }

    @Test
    void theSamePayloadAsTheOneLastAppliedFromItsSourceIsADuplicate() {
        records.applied(payload("a", "g1", T, "\"g1\""), T);
        AppliedRecords.Refused copy = records.beforeParse(payload("a", "g1", T, "\"g1\""));
        assertThat(copy).isNotNull();
        assertThat(copy.refusal()).isEqualTo(AppliedRecords.Refusal.DUPLICATE);
    }

    @Test
    void aPayloadSampledNoLaterThanTheOneLastAppliedFromItsSourceIsStaleBeforeItsParse() {
        records.applied(payload("a", "g6", T.plusSeconds(60), "\"g6\""), T.plusSeconds(60));
        AppliedRecords.Refused older = records.beforeParse(payload("a", "g5", T, "\"g5\""));
        assertThat(older).isNotNull();
        assertThat(older.refusal()).isEqualTo(AppliedRecords.Refusal.STALE);
        assertThat(older.why()).contains(T.toString()).contains(T.plusSeconds(60).toString());
        // sampled at the same time but another payload: not newer either
        assertThat(records.beforeParse(payload("a", "g6'", T.plusSeconds(60), "\"g6'\"")).refusal())
                .isEqualTo(AppliedRecords.Refusal.STALE);
        assertThat(records.beforeParse(payload("a", "g7", T.plusSeconds(120), "\"g7\""))).isNull();
    }

    @Test
    void withoutSampledAtTheSampledAtDerivedFromTheParseDecides() {
        records.applied(payload("a", "x", null, null), T.plusSeconds(60));
        Payload unsaid = payload("a", "y", null, null);
        assertThat(records.beforeParse(unsaid)).isNull();
        assertThat(records.afterParse(unsaid, T.plusSeconds(30)).refusal()).isEqualTo(AppliedRecords.Refusal.STALE);
        assertThat(records.afterParse(unsaid, T.plusSeconds(61))).isNull();
    }

    @Test
    void eachSourceIsComparedWithItsOwnLastPayloadOnly() {
        records.applied(payload("a", "g6", T.plusSeconds(60), "\"g6\""), T.plusSeconds(60));
        assertThat(records.beforeParse(payload("b", "g5", T, "\"g5\""))).isNull();
        records.applied(payload("b", "g5", T, "\"g5\""), T);
        assertThat(records.beforeParse(payload("a", "g6", T.plusSeconds(60), "\"g6\"")).refusal())
                .isEqualTo(AppliedRecords.Refusal.DUPLICATE);
    }
}
