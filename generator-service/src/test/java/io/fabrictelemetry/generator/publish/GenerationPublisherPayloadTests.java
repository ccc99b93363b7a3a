package io.fabrictelemetry.generator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.conventions.PayloadRecords.Payload;
import io.fabrictelemetry.generator.simulation.CsvBody;
import io.fabrictelemetry.generator.simulation.Generation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;

/** Which view of a generation a record holds (GENERATOR_PUBLISH_VIEW), with that view's own ETag. */
class GenerationPublisherPayloadTests {

    private static final Instant SAMPLED = Instant.parse("2026-12-07T10:00:00.123Z");
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:01.456Z");
    private static final byte[] COUNTERS = "switch_id,latency_us\nsw-0001,1.5\n".getBytes(StandardCharsets.UTF_8);
    // the port view is served from a larger buffer: only its first bytes are the body
    private static final byte[] PORTS_BUFFER = "Port,Node_GUID\n1,0x1\n#####".getBytes(StandardCharsets.UTF_8);
    private static final Generation GENERATION = new Generation(7, SAMPLED, "\"b-7\"", COUNTERS, 0, "\"b-7-ports\"",
            new CsvBody(PORTS_BUFFER, PORTS_BUFFER.length - 5), 0);

    private static Payload payload(boolean ports) {
        PushSettings settings = new PushSettings("kafka:9092", "t", "fabric", ports, Duration.ofSeconds(1));
        return new GenerationPublisher(settings, Flux.never(), Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry())
                .payload(GENERATION);
    }

    @Test
    void theCountersViewIsTheCountersBytesUnderTheGenerationsETag() {
        Payload payload = payload(false);
        assertThat(payload.body()).isEqualTo(COUNTERS);
        assertThat(payload.sourceEtag()).isEqualTo("\"b-7\"");
        assertThat(payload.sampledAt()).isEqualTo(SAMPLED);
        assertThat(payload.collectedAt()).isEqualTo(NOW);
        assertThat(payload.source()).isEqualTo("fabric");
    }

    @Test
    void thePortsViewIsTheCsvMetricsBodyUnderItsOwnETag() {
        Payload payload = payload(true);
        assertThat(new String(payload.body(), StandardCharsets.UTF_8)).isEqualTo("Port,Node_GUID\n1,0x1\n");
        assertThat(payload.sourceEtag()).isEqualTo("\"b-7-ports\"");
        assertThat(payload.sampledAt()).isEqualTo(SAMPLED);
    }
}
