package io.fabrictelemetry.generator.simulation;

import java.util.SplittableRandom;

/**
 * The evolving state of one simulated switch. Mutable, but owned by {@link Fabric} and only touched
 * by the simulation thread; readers only ever see the rendered CSV of a generation.
 */
final class SwitchState {

    private static final int MIN_DOWN_PERIODS = 2;
    private static final int MAX_DOWN_PERIODS = 5;
    private static final int MIN_SPIKE_PERIODS = 2;
    private static final int MAX_SPIKE_PERIODS = 4;
    private static final double IDLE_TEMPERATURE_C = 30.0;
    private static final double FULL_LOAD_TEMPERATURE_RISE_C = 45.0;

    private final String id;
    private final double baseLoad;
    private final double baseLatencyUs;

    private double load;
    private double latencyUs;
    private int spikeRemaining;
    private double spikeFactor;
    private int downRemaining;
    private long packetErrors;
    private long droppedPackets;
    private long linkDownCount;
    private double temperatureC;
    private long rxBytes;
    private long txBytes;

    SwitchState(String id, SplittableRandom random) {
        this.id = id;
        this.baseLoad = 0.15 + 0.7 * random.nextDouble();
        this.baseLatencyUs = 0.6 + 0.9 * random.nextDouble();
        this.load = baseLoad;
        this.latencyUs = baseLatencyUs;
        this.temperatureC = IDLE_TEMPERATURE_C + FULL_LOAD_TEMPERATURE_RISE_C * load;
    }

    /**
     * Advances one period. Every call draws the same number of random values in the same order,
     * whatever the state, so that one seed gives one sequence.
     */
    void advance(SplittableRandom random, FabricProperties config, double periodSeconds) {
        double linkDownDraw = random.nextDouble();
        int downPeriods = MIN_DOWN_PERIODS + random.nextInt(MAX_DOWN_PERIODS - MIN_DOWN_PERIODS + 1);
        double loadNoise = gaussian(random);
        double spikeDraw = random.nextDouble();
        int spikePeriods = MIN_SPIKE_PERIODS + random.nextInt(MAX_SPIKE_PERIODS - MIN_SPIKE_PERIODS + 1);
        double newSpikeFactor = 10 + 40 * random.nextDouble();
        double latencyNoise = gaussian(random);
        double burstDraw = random.nextDouble();
        int burstSize = 100 + random.nextInt(5_000);
        int backgroundErrors = random.nextInt(3);
        double dropDraw = random.nextDouble();
        double temperatureNoise = gaussian(random);

        if (downRemaining > 0) {
            downRemaining--;
        } else if (linkDownDraw < config.linkDownProbability()) {
            downRemaining = downPeriods;
            linkDownCount++;
        }

        // mean-reverting walk around the switch's own load: smooth, bounded to [0, 1] of capacity
        load = clamp(load + 0.25 * (baseLoad - load) + 0.05 * loadNoise, 0.0, 1.0);

        if (spikeRemaining > 0) {
            spikeRemaining--;
        } else if (spikeDraw < config.latencySpikeProbability()) {
            spikeRemaining = spikePeriods;
            spikeFactor = newSpikeFactor;
        }
        double queueing = 1 + 2 * load * load;
        latencyUs = Math.max(0.05, baseLatencyUs * queueing * (1 + 0.05 * latencyNoise))
                * (spikeRemaining > 0 ? spikeFactor : 1);

        if (isUp()) {
            packetErrors += backgroundErrors + (burstDraw < config.errorBurstProbability() ? burstSize : 0);
            // congestion drops grow with the square of the load
            droppedPackets += (long) (dropDraw * load * load * 50);
            long bytes = (long) (bandwidthGbps(config) * 1e9 / 8 * periodSeconds);
            rxBytes += bytes;
            txBytes += (long) (bytes * (0.9 + 0.2 * dropDraw));
        }

        double targetTemperature = IDLE_TEMPERATURE_C + FULL_LOAD_TEMPERATURE_RISE_C * (isUp() ? load : 0);
        temperatureC = temperatureC + 0.2 * (targetTemperature - temperatureC) + 0.3 * temperatureNoise;
    }

    String id() {
        return id;
    }

    boolean isUp() {
        return downRemaining == 0;
    }

    boolean inLatencySpike() {
        return spikeRemaining > 0;
    }

    double bandwidthGbps(FabricProperties config) {
        return isUp() ? load * config.linkCapacityGbps() : 0;
    }

    double utilizationPct() {
        return isUp() ? load * 100 : 0;
    }

    /** No reading while the link is down. */
    double latencyUs() {
        return isUp() ? latencyUs : Double.NaN;
    }

    long packetErrors() {
        return packetErrors;
    }

    long droppedPackets() {
        return droppedPackets;
    }

    long linkDownCount() {
        return linkDownCount;
    }

    double temperatureC() {
        return temperatureC;
    }

    long rxBytes() {
        return rxBytes;
    }

    long txBytes() {
        return txBytes;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /** A standard normal draw (Box–Muller), consuming exactly two uniform draws. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
