package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** What the poll loop hands its sink (the publisher in publish mode), and what it does when the sink fails. */
class PayloadSinkPollTests {

    private static final String CSV = "switch_id,latency_us\r\nsw-0001,1.5\r\n";

    private final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AcceptedPayload> handed = new ArrayList<>();

    private final PayloadSink recording = payload -> {
        handed.add(payload);
        return PayloadSink.direct(store).accept(payload);
    };
    private final ScriptedPollLoop loop = new ScriptedPollLoop(store, recording, registry);

    @Test
    void eachAcceptedPayloadIsHandedOnceAsReceivedAndA304OrARejectedPayloadNever() {
        assertThat(loop.answer(CSV, "\"g-1\"", "2026-12-07T09:00:00.123Z", "text/csv")).isEqualTo(PollOutcome.SUCCESS);
        assertThat(loop.notModified()).isEqualTo(PollOutcome.NOT_MODIFIED);
        assertThat(loop.answer("a,b\r\n1,2\r\n", "\"g-2\"", null, null)).isEqualTo(PollOutcome.PARSE_ERROR);
        assertThat(loop.answer(CSV, null, null, null)).isEqualTo(PollOutcome.SUCCESS);

        assertThat(handed).hasSize(2);
        AcceptedPayload first = handed.get(0);
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo(CSV);
        assertThat(first.sourceEtag()).isEqualTo("\"g-1\"");
        assertThat(first.saidSampledAt()).isEqualTo(Instant.parse("2026-12-07T09:00:00.123Z"));
        assertThat(first.contentType()).isEqualTo("text/csv");
        assertThat(first.table().switchCount()).isEqualTo(1);
        AcceptedPayload second = handed.get(1);
        assertThat(second.sourceEtag()).isNull();
        assertThat(second.saidSampledAt()).isNull();
        assertThat(second.contentType()).isNull();
        assertThat(store.current().sequence()).isEqualTo(2);
    }
}
