package io.fabrictelemetry.metrics.kafka;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.WorkerLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Looks at the broker every {@link #INTERVAL} on a thread of its own (the admin client's calls
 * block): sets the topic up at start and whenever it is missing (the poll's thread never does: a
 * publish while the topic is not set up fails at once with reason {@code topic}), and keeps the {@code kafka} health
 * component true while no payload is published (a source answering {@code 304} for minutes) — DOWN
 * within {@link #INTERVAL} + {@link #TIMEOUT} of the broker going away.
 */
@Component
@ConditionalOnIngestMode(IngestMode.PUBLISH)
class KafkaProbe extends WorkerLifecycle {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(KafkaProbe.class);

    private final KafkaPublisher publisher;

    KafkaProbe(KafkaPublisher publisher) {
        super("kafka-probe");
        this.publisher = publisher;
    }

    @Override
    protected Disposable subscribe(Scheduler worker) {
        return Flux.interval(Duration.ZERO, INTERVAL, worker)
                .onBackpressureDrop()
                .concatMap(tick -> reactor.core.publisher.Mono.fromRunnable(publisher::probe), 0)
                .subscribe(done -> { }, error -> log.error("Kafka probe ended unexpectedly", error));
    }

    @Override
    protected void started() {
        log.info("Publishing accepted payloads to topic {} at {} as source {}", publisher.settings().topic(),
                publisher.settings().bootstrapServers(), publisher.settings().sourceName());
    }
}
