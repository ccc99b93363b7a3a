package io.fabrictelemetry.generator.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import io.fabrictelemetry.conventions.PayloadRecords;
import io.fabrictelemetry.conventions.PayloadRecords.Payload;
import io.fabrictelemetry.conventions.PayloadTopic;
import io.fabrictelemetry.conventions.WorkerLifecycle;
import io.fabrictelemetry.generator.simulation.Generation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Appends each generation to the payload topic ({@code GENERATOR_PUBLISH=kafka}), in the record format
 * of the metrics-service's publisher ({@link PayloadRecords}): key the source's name, value the bytes
 * {@code /counters} (or {@code /csv/metrics}) serves for that generation, {@code sampled-at} the
 * generation's sample time, {@code source-etag} its ETag.
 *
 * <p>The simulation hands each generation over without waiting: the hand-off keeps only the newest
 * generation not yet sent, and every call to the broker (topic setup, metadata, the send) runs on this
 * component's own thread, bounded by {@code KAFKA_MAX_BLOCK}. A dead broker therefore costs the
 * simulation and the HTTP API nothing. A generation that could not be published is sent again every
 * {@link #RETRY_AFTER} for as long as it is the newest (with a long {@code GENERATOR_PERIOD} it would
 * otherwise be missing from the topic for a whole period); a newer generation replaces it. Failed
 * attempts are counted ({@code fabric_generator_publish_failures_total}) and said once per outage at
 * WARN, the recovery at INFO.
 */
class GenerationPublisher extends WorkerLifecycle implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GenerationPublisher.class);
    static final String CONTENT_TYPE = "text/csv;charset=utf-8";
    /**
     * The topic the generator creates when it is missing: the metrics-service's defaults
     * ({@code HISTORY_RETENTION} 15m, {@code POLL_MAX_BYTES} 64MB), so that it equals a topic created
     * by a publisher with default settings.
     */
    static final Duration TOPIC_HISTORY_RETENTION = Duration.ofMinutes(15);
    static final long TOPIC_MAX_PAYLOAD_BYTES = 64L * 1024 * 1024;
    /** Between two attempts at the same generation. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final PushSettings settings;
    private final Flux<Generation> generations;
    private final Clock clock;
    private final PayloadTopic.Requirements topic;
    private final Counter published;
    private final Counter failures;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong failedInOutage = new AtomicLong();
    /** The newest generation handed over (set on the simulation's thread): the only one worth retrying. */
    private final AtomicReference<Generation> newest = new AtomicReference<>();
    private volatile @Nullable Producer<byte[], byte[]> producer;
    private boolean topicReady;

    GenerationPublisher(PushSettings settings, Flux<Generation> generations, Clock clock, MeterRegistry registry) {
        super("kafka-publisher");
        this.settings = settings;
        this.generations = generations;
        this.clock = clock;
        this.topic = PayloadTopic.Requirements.of(settings.topic(), TOPIC_HISTORY_RETENTION, TOPIC_MAX_PAYLOAD_BYTES);
        this.published = Counter.builder("fabric.generator.published")
                .description("Generations the Kafka broker acknowledged (GENERATOR_PUBLISH=kafka)")
                .register(registry);
        this.failures = Counter.builder("fabric.generator.publish.failures")
                .description("Generations not published to Kafka: broker unreachable, topic setup or send failed")
                .register(registry);
    }

    @Override
    protected Disposable subscribe(Scheduler worker) {
        return generations
                .doOnNext(newest::set)
                // the simulation never waits: a generation not yet sent is replaced by a newer one
                .onBackpressureLatest()
                .publishOn(worker, 1)
                .subscribe(this::send, error -> log.error("Kafka publisher stopped; generations are no longer"
                        + " published until a restart", error));
    }

    @Override
    protected void started() {
        log.info("Publishing every generation's {} to Kafka topic {} at {} as source '{}'",
                settings.ports() ? "/csv/metrics" : "/counters", settings.topic(), settings.bootstrapServers(),
                settings.sourceName());
    }

    /**
     * On the worker thread: one generation, one record; every failure is counted and the generation
     * tried again ({@link #retryLater}), none escapes. Any {@link Throwable}, {@link Error}s included (an
     * {@code OutOfMemoryError} while the record's bytes are copied): one escaping would end the
     * subscription, and the generator would never publish again with nothing to say so but a log line.
     */
    private void send(Generation generation) {
        try {
            // the record first: what fails on this thread alone (copying a 100,000-switch body) fails
            // before any call to the broker
            Payload payload = payload(generation);
            Producer<byte[], byte[]> sender = producer();
            ensureTopic();
            sender.send(PayloadRecords.record(settings.topic(), payload), (metadata, error) -> {
                if (error == null) {
                    succeeded(generation);
                } else {
                    failed(generation, error);
                }
            });
        } catch (Throwable e) {
            failed(generation, e);
        }
    }

    /** The record of {@code generation} (package-private for its test). */
    Payload payload(Generation generation) {
        byte[] body = settings.ports() ? generation.portsCsv().toByteArray() : generation.csv();
        String etag = settings.ports() ? generation.portsEtag() : generation.etag();
        return new Payload(settings.sourceName(), body, generation.sampledAt(), Instant.now(clock), CONTENT_TYPE,
                etag);
    }

    private Producer<byte[], byte[]> producer() {
        Producer<byte[], byte[]> current = producer;
        if (current == null) {
            current = new KafkaProducer<>(PayloadTopic.producerConfig(settings.bootstrapServers(),
                    "fabric-generator", topic, settings.maxBlock()));
            producer = current;
        }
        return current;
    }

    private void ensureTopic() {
        if (topicReady) {
            return;
        }
        Admin admin = Admin.create(PayloadTopic.adminConfig(settings.bootstrapServers(), "fabric-generator-admin",
                settings.maxBlock()));
        try {
            PayloadTopic.ensure(admin, topic, settings.maxBlock());
            topicReady = true;
        } finally {
            // bounded: Admin.close() without a timeout waits for calls still in flight to a dead broker
            admin.close(settings.maxBlock());
        }
    }

    private void succeeded(Generation generation) {
        published.increment();
        if (failing.compareAndSet(true, false)) {
            log.info("Publishing to Kafka topic {} resumed with generation {} after {} generations not published",
                    settings.topic(), generation.number(), failedInOutage.getAndSet(0));
        }
    }

    private void failed(Generation generation, Throwable error) {
        retryLater(generation);
        failures.increment();
        failedInOutage.incrementAndGet();
        if (failing.compareAndSet(false, true)) {
            log.warn("Publishing generation {} to Kafka topic {} at {} failed: {}; the simulation and the HTTP API"
                    + " go on, each generation is tried as it comes (said once until one is published)",
                    generation.number(), settings.topic(), settings.bootstrapServers(), error.toString());
        } else {
            log.debug("Publishing generation {} to Kafka failed: {}", generation.number(), error.toString());
        }
    }

    /** On the worker thread, after {@link #RETRY_AFTER}: {@code generation} again, unless a newer one came. */
    private void retryLater(Generation generation) {
        Scheduler worker = worker();
        if (worker == null || newest.get() != generation) {
            return;
        }
        try {
            worker.schedule(() -> {
                if (newest.get() == generation) {
                    send(generation);
                }
            }, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the publisher is stopping: nothing more to send
        }
    }

    @Override
    public void destroy() {
        Producer<byte[], byte[]> current = producer;
        if (current != null) {
            // bounded: records still unacknowledged after this are given up (and counted by their callbacks)
            current.close(settings.maxBlock());
            producer = null;
        }
    }
}
