package io.fabrictelemetry.generator.simulation;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

/** Holds the latest generation; readers take it without a lock and never see a half-built one. */
@Component
public class GenerationStore {

    private final AtomicReference<Generation> current = new AtomicReference<>();

    public Generation current() {
        Generation generation = current.get();
        if (generation == null) {
            // SimulationLoop publishes generation 1 while the context starts, before the server listens
            throw new IllegalStateException("no generation published yet");
        }
        return generation;
    }

    void publish(Generation generation) {
        current.set(generation);
    }
}
