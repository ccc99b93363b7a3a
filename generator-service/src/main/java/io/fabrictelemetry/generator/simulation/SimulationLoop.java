package io.fabrictelemetry.generator.simulation;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.conventions.WorkerLifecycle;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Advances the fabric once per period on its own thread, independently of requests, and
 * publishes each rendered generation. The first generation is built in the constructor, so it
 * exists before the web server accepts a request.
 */
@Component
class SimulationLoop extends WorkerLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SimulationLoop.class);
    /** The port view's tag is the generation's with this suffix: one tag per generation and view. */
    static final String PORTS_ETAG_SUFFIX = "-ports";

    private final FabricProperties config;
    private final GenerationStore store;
    private final Clock clock;
    private final Fabric fabric;
    private final EntityTags etags = EntityTags.bootScoped();
    private final long seed;
    private long number;

    SimulationLoop(FabricProperties config, GenerationStore store, Clock clock) {
        super("fabric-simulation");
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.seed = config.seed() != null ? config.seed() : new SplittableRandom().nextLong();
        // A restarted generator must never reuse an ETag, even with the same seed.
        this.fabric = new Fabric(config, seed);
        log.info("Simulating {} switches of {} ports, metrics {}, period {}, seed {} (replay with GENERATOR_SEED={})",
                config.switches(), config.portsPerSwitch(), config.metrics(), config.period(), seed, seed);
        publishNext();
    }

    /** Renders the fabric's current state in both views as the next generation and publishes it. */
    private void publishNext() {
        Instant sampledAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        byte[] csv = fabric.renderCsv();
        CsvBody portsCsv = fabric.renderPortsCsv(Math.multiplyExact(sampledAt.toEpochMilli(), 1000L));
        number++;
        String etag = etags.tag(number);
        store.publish(new Generation(number, sampledAt, etag, csv, fabric.switchesDown(),
                EntityTags.withSuffix(etag, PORTS_ETAG_SUFFIX), portsCsv, fabric.portsDown()));
    }

    void tick() {
        try {
            fabric.advance();
            publishNext();
        } catch (RuntimeException e) {
            // keep serving the previous generation; the next period tries again
            log.error("Simulation step failed; generation {} stays current", number, e);
        }
    }

    long seed() {
        return seed;
    }

    @Override
    protected Disposable subscribe(Scheduler worker) {
        long periodNanos = config.period().toNanos();
        // one thread, fixed rate: steps never overlap; a late step delays the next instead of piling up
        return worker.schedulePeriodically(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }
}
