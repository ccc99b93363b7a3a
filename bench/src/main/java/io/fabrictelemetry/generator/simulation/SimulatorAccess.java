package io.fabrictelemetry.generator.simulation;

import java.time.Duration;

/**
 * The generator's own simulation, for benchmarks that need its data: both views of each period,
 * rendered as the generator renders them.
 */
public final class SimulatorAccess {

    private final Fabric fabric;
    private long timestampMicros = 1_700_000_000_000_000L;
    private final long periodMicros;

    /**
     * The default fabric (8 metrics, 400 Gbps links, the default probabilities) with this many
     * switches of one port each: a switch row as the seed simulated it (one link per switch).
     */
    public SimulatorAccess(int switches, long seed) {
        this(switches, 1, seed);
    }

    /** The default fabric with this many switches of {@code portsPerSwitch} ports. */
    public SimulatorAccess(int switches, int portsPerSwitch, long seed) {
        FabricProperties config = new FabricProperties(switches, Metric.DEFAULT_NAMES, Duration.ofSeconds(10), seed,
                400, 0.02, 0.005, 0.05, portsPerSwitch);
        this.fabric = new Fabric(config, seed);
        this.periodMicros = config.period().toNanos() / 1000;
    }

    /** Advances one period and renders its {@code /counters} CSV, as the generator does each period. */
    public byte[] next() {
        fabric.advance();
        timestampMicros += periodMicros;
        return fabric.renderCsv();
    }

    /** Advances one period and renders its {@code /csv/metrics} CSV (one row per port). */
    public byte[] nextPorts() {
        fabric.advance();
        timestampMicros += periodMicros;
        return fabric.renderPortsCsv(timestampMicros).toByteArray();
    }

    /** Advances one period without rendering. */
    public void advance() {
        fabric.advance();
        timestampMicros += periodMicros;
    }

    /** Renders the current period's {@code /counters} CSV. */
    public byte[] renderCounters() {
        return fabric.renderCsv();
    }

    /** Renders the current period's {@code /csv/metrics} CSV, stamped with the period's sample time. */
    public byte[] renderPorts() {
        return fabric.renderPortsCsv(timestampMicros).toByteArray();
    }
}
