package io.fabrictelemetry.generator.simulation;

import java.time.Duration;

/** The generator's own simulation, for benchmarks that need its data: one CSV per period. */
public final class SimulatorAccess {

    private final Fabric fabric;

    /** The default fabric (8 metrics, 400 Gbps links, the default probabilities) with this many switches. */
    public SimulatorAccess(int switches, long seed) {
        FabricProperties config = new FabricProperties(switches, Metric.DEFAULT_NAMES, Duration.ofSeconds(10), seed,
                400, 0.02, 0.005, 0.05);
        this.fabric = new Fabric(config, seed);
    }

    /** Advances one period and renders its CSV, as the generator does each period. */
    public byte[] next() {
        fabric.advance();
        return fabric.renderCsv();
    }
}
