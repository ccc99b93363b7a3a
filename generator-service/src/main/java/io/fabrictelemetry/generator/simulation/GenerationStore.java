package io.fabrictelemetry.generator.simulation;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Holds the latest generation; readers take it without a lock and never see a half-built one. */
@Component
public class GenerationStore {

    private final AtomicReference<Generation> current = new AtomicReference<>();
    /** The latest generation to a new subscriber, then each one as it is published. */
    private final Sinks.Many<Generation> published = Sinks.many().replay().latest();

    public Generation current() {
        Generation generation = current.get();
        if (generation == null) {
            // SimulationLoop publishes generation 1 while the context starts, before the server listens
            throw new IllegalStateException("no generation published yet");
        }
        return generation;
    }

    /**
     * The current generation, then every one published after it, delivered on the publishing thread
     * (the simulation's): a subscriber that does slow work hands over to a thread of its own and drops
     * what it cannot keep up with ({@code onBackpressureLatest}), so that it never holds the simulation up.
     */
    public Flux<Generation> generations() {
        return published.asFlux();
    }

    void publish(Generation generation) {
        current.set(generation);
        // only the simulation thread publishes, one generation at a time: the emission cannot fail
        published.tryEmitNext(generation);
    }
}
