package io.fabrictelemetry.metrics.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;
import org.springframework.util.unit.DataSize;

import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.api.SnapshotAnswers;
import io.fabrictelemetry.metrics.ingest.PollProperties;
import io.fabrictelemetry.metrics.query.ListMetricsFilter;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.scheduler.Schedulers;

/** Which problem a stream request gets when the stream cannot take it: why it cannot, not "too many". */
class StreamHandlerTests {

    final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
    final StreamProperties properties = new StreamProperties(Duration.ofSeconds(15), 2, Duration.ofSeconds(30),
            DataSize.ofMegabytes(64));
    final SnapshotStream stream = new SnapshotStream(store, properties, new SimpleMeterRegistry(), Schedulers.parallel(),
            Schedulers::immediate, EventEncoder.LIST_METRICS);
    final SnapshotAnswers answers = new SnapshotAnswers(store,
            new PollProperties(Duration.ofSeconds(2), Duration.ofMillis(1500), DataSize.ofMegabytes(64)), Clock.systemUTC());
    final StreamHandler handler = new StreamHandler(stream, answers, properties);

    @AfterEach
    void stop() {
        stream.stop();
    }

    void publish() {
        Instant now = Instant.now();
        store.publish(Table.of(List.of("packet_errors"), List.of("sw-1"), new long[] {1},
                new byte[] {CellKind.INTEGER}, 0, 0), now, now, null);
    }

    ProblemException refusal() {
        MockServerRequest request = MockServerRequest.builder().uri(URI.create("http://localhost/telemetry/stream")).build();
        return catchThrowableOfType(ProblemException.class, () -> handler.stream(request));
    }

    @Test
    void aRequestBeforeTheStreamIsStartedGetsNoDataYetWithRetryAfter() {
        publish();
        ProblemException refused = refusal();
        assertThat(refused).as("refused before the stream started").isNotNull();
        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.type()).isEqualTo("urn:fabric-telemetry:problem:no-data-yet");
        assertThat(refused.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
    }

    @Test
    void aRequestDuringShutdownGetsTheShuttingDownProblem() {
        publish();
        stream.start();
        assertThat(refusal()).as("taken while running").isNull();
        stream.stop();
        ProblemException refused = refusal();
        assertThat(refused).as("refused once stopped").isNotNull();
        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.type()).isEqualTo("urn:fabric-telemetry:problem:shutting-down");
        assertThat(refused.getMessage()).contains("shutting down");
    }

    @Test
    void aRequestBeyondTheClientLimitStillGetsTooManyStreams() {
        publish();
        stream.start();
        var first = stream.events(ListMetricsFilter.NONE, StreamOutbound.UNBOUNDED).subscribe();
        var second = stream.events(ListMetricsFilter.NONE, StreamOutbound.UNBOUNDED).subscribe();
        try {
            assertThat(refusal().type()).isEqualTo("urn:fabric-telemetry:problem:too-many-streams");
        } finally {
            first.dispose();
            second.dispose();
        }
    }

    /**
     * HEAD opens no stream, so it is not refused for the stream's state or its client limit (its
     * OpenAPI document says so: only a filter before the first snapshot gets a 503).
     */
    @Test
    void headIsAnsweredWhateverTheStreamsStateAndClientCount() {
        publish();
        MockServerRequest request = MockServerRequest.builder().uri(URI.create("http://localhost/telemetry/stream")).build();
        assertThat(handler.head(request).block().statusCode()).as("before the stream started").isEqualTo(HttpStatus.OK);
        stream.start();
        var first = stream.events(ListMetricsFilter.NONE, StreamOutbound.UNBOUNDED).subscribe();
        var second = stream.events(ListMetricsFilter.NONE, StreamOutbound.UNBOUNDED).subscribe();
        try {
            assertThat(handler.head(request).block().statusCode()).as("at the client limit").isEqualTo(HttpStatus.OK);
        } finally {
            first.dispose();
            second.dispose();
        }
        stream.stop();
        assertThat(handler.head(request).block().statusCode()).as("during shutdown").isEqualTo(HttpStatus.OK);
    }
}
