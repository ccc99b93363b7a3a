package io.fabrictelemetry.generator.simulation;

import java.util.SplittableRandom;

/**
 * The evolving state of one simulated switch: what belongs to the switch itself (its forwarding
 * latency and its spikes, its temperature) plus its ports, slots {@code [firstPort, firstPort +
 * perSwitch)} of {@link Ports}. Mutable, but owned by {@link Fabric} and only touched by the
 * simulation thread; readers only ever see the rendered CSVs of a generation.
 */
final class SwitchState {

    private static final int MIN_DOWN_PERIODS = 2;
    private static final int MAX_DOWN_PERIODS = 5;
    private static final int MIN_SPIKE_PERIODS = 2;
    private static final int MAX_SPIKE_PERIODS = 4;
    private static final double IDLE_TEMPERATURE_C = 30.0;
    private static final double FULL_LOAD_TEMPERATURE_RISE_C = 45.0;
    /** Rare error kinds: one of them, on one port, now and then. */
    private static final PortColumn[] RARE_ERRORS = {
            PortColumn.RCV_REMOTE_PHYS_ERRORS, PortColumn.RCV_SW_RELAY_ERRORS, PortColumn.XMT_CONSTRAINT_ERRORS,
            PortColumn.RCV_CONSTRAINT_ERRORS, PortColumn.LINK_INTEGRITY_ERRORS, PortColumn.EXC_BUF_OVERRUN_ERRORS,
            PortColumn.VL15_DROPPED};
    private static final double RARE_ERROR_PROBABILITY = 0.05;

    private final String id;
    private final Ports ports;
    private final int firstPort;
    private final double baseLatencyUs;
    /** The port that collects the switch's trickle of receive errors (a marginal link); bursts hit any port. */
    private final int noisyPort;

    private double latencyUs;
    private int spikeRemaining;
    private double spikeFactor;
    private double temperatureC;

    SwitchState(String id, SplittableRandom random, Ports ports, int firstPort) {
        this.id = id;
        this.ports = ports;
        this.firstPort = firstPort;
        double baseLoad = 0.15 + 0.7 * random.nextDouble();
        this.baseLatencyUs = 0.6 + 0.9 * random.nextDouble();
        this.noisyPort = random.nextInt(ports.perSwitch);
        for (int p = 0; p < ports.perSwitch; p++) {
            ports.initialise(firstPort + p, baseLoad, random);
        }
        this.latencyUs = baseLatencyUs;
        this.temperatureC = IDLE_TEMPERATURE_C + FULL_LOAD_TEMPERATURE_RISE_C * meanLoad();
    }

    /**
     * Advances one period. Every call draws the same number of random values in the same order,
     * whatever the state, so that one seed gives one sequence: the switch's draws, then four per port.
     * The probabilities of the configuration are per switch and period, as they were when a switch
     * was one link: a link-down episode starts on one of its ports, an error burst hits one.
     */
    void advance(SplittableRandom random, FabricProperties config, double periodSeconds) {
        int n = ports.perSwitch;
        double linkDownDraw = random.nextDouble();
        int linkDownPort = random.nextInt(n);
        int downPeriods = MIN_DOWN_PERIODS + random.nextInt(MAX_DOWN_PERIODS - MIN_DOWN_PERIODS + 1);
        double spikeDraw = random.nextDouble();
        int spikePeriods = MIN_SPIKE_PERIODS + random.nextInt(MAX_SPIKE_PERIODS - MIN_SPIKE_PERIODS + 1);
        double newSpikeFactor = 10 + 40 * random.nextDouble();
        double latencyNoise = gaussian(random);
        double burstDraw = random.nextDouble();
        int burstSize = 100 + random.nextInt(5_000);
        int burstPort = random.nextInt(n);
        int backgroundErrors = random.nextInt(3);
        double rareDraw = random.nextDouble();
        int rarePort = random.nextInt(n);
        PortColumn rareKind = RARE_ERRORS[random.nextInt(RARE_ERRORS.length)];
        int rareAmount = 1 + random.nextInt(4);
        double temperatureNoise = gaussian(random);

        double maxLoad = 0;
        double sumLoad = 0;
        int up = 0;
        for (int p = 0; p < n; p++) {
            int port = firstPort + p;
            if (ports.downRemaining[port] > 0) {
                ports.downRemaining[port]--;
            } else if (p == linkDownPort && linkDownDraw < config.linkDownProbability()) {
                ports.downRemaining[port] = (byte) downPeriods;
                ports.add(port, PortColumn.LINK_DOWNED, 1);
            }
            double loadNoise = gaussian(random);
            double dropDraw = random.nextDouble();
            double txDraw = random.nextDouble();
            double errorDraw = random.nextDouble();
            ports.carryTraffic(port, loadNoise, dropDraw, txDraw, errorDraw, config, periodSeconds);
            if (ports.isUp(port)) {
                up++;
                double load = ports.load[port];
                sumLoad += load;
                maxLoad = Math.max(maxLoad, load);
            }
        }
        // errors count only on a port that is up, as they did on a switch's link; most ports see none
        if (ports.isUp(firstPort + noisyPort)) {
            ports.add(firstPort + noisyPort, PortColumn.RCV_ERRORS, backgroundErrors);
        }
        if (burstDraw < config.errorBurstProbability() && ports.isUp(firstPort + burstPort)) {
            ports.add(firstPort + burstPort, PortColumn.RCV_ERRORS, burstSize);
        }
        if (rareDraw < RARE_ERROR_PROBABILITY && ports.isUp(firstPort + rarePort)) {
            ports.add(firstPort + rarePort, rareKind, rareAmount);
        }

        if (spikeRemaining > 0) {
            spikeRemaining--;
        } else if (spikeDraw < config.latencySpikeProbability()) {
            spikeRemaining = spikePeriods;
            spikeFactor = newSpikeFactor;
        }
        // queueing at the busiest port sets the switch's forwarding latency
        double queueing = 1 + 2 * maxLoad * maxLoad;
        latencyUs = Math.max(0.05, baseLatencyUs * queueing * (1 + 0.05 * latencyNoise))
                * (spikeRemaining > 0 ? spikeFactor : 1);

        double meanLoad = up == 0 ? 0 : sumLoad / n;
        double targetTemperature = IDLE_TEMPERATURE_C + FULL_LOAD_TEMPERATURE_RISE_C * meanLoad;
        temperatureC = temperatureC + 0.2 * (targetTemperature - temperatureC) + 0.3 * temperatureNoise;
    }

    private double meanLoad() {
        double sum = 0;
        for (int p = 0; p < ports.perSwitch; p++) {
            sum += ports.load[firstPort + p];
        }
        return sum / ports.perSwitch;
    }

    String id() {
        return id;
    }

    int firstPort() {
        return firstPort;
    }

    /** Every port's link is up ({@code link_state} 1); 0 while any port is in a link-down episode. */
    boolean isUp() {
        for (int p = 0; p < ports.perSwitch; p++) {
            if (!ports.isUp(firstPort + p)) {
                return false;
            }
        }
        return true;
    }

    /** No port is up: nothing crosses the switch. */
    boolean allPortsDown() {
        for (int p = 0; p < ports.perSwitch; p++) {
            if (ports.isUp(firstPort + p)) {
                return false;
            }
        }
        return true;
    }

    boolean inLatencySpike() {
        return spikeRemaining > 0;
    }

    /** No reading while every port is down. */
    double latencyUs() {
        return allPortsDown() ? Double.NaN : latencyUs;
    }

    double temperatureC() {
        return temperatureC;
    }

    /** A standard normal draw (Box–Muller), consuming exactly two uniform draws. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
