package io.fabrictelemetry.generator.simulation;

import java.util.SplittableRandom;

/**
 * The state of every port of the fabric, one slot per port in flat arrays (a 200,000-port fabric
 * would otherwise be 200,000 small objects): port {@code p} of switch {@code s} is slot
 * {@code s * perSwitch + p}. Owned by {@link Fabric}, touched only by the simulation thread.
 *
 * <p>Per port: its traffic (a mean-reverting load around the port's own base load), its link-down
 * episodes, its errors and its congestion (transmit discards, transmit-wait ticks, the latency
 * histogram of what it sent). Counters are cumulative since the process started and never decrease.
 */
final class Ports {

    static final int COUNTERS = PortColumn.COUNTERS;
    private static final double QUIET_SHARE = 0.1;
    private static final double FLAKY_SHARE = 0.02;
    private static final int MIN_PACKET_BYTES = 256;
    private static final int PACKET_BYTES_STEPS = 61; // 256 .. 4,096 bytes in steps of 64
    private static final double BYTES_PER_GBIT = 1e9 / 8;

    final int perSwitch;
    final int count;
    /** Cumulative counters, {@link PortColumn} order: slot {@code port * COUNTERS + column}. */
    final long[] counters;
    final double[] baseLoad;
    final double[] load;
    /** A port with nothing behind it but management traffic: loads of 1e-8 to 1e-6. */
    final boolean[] quiet;
    /** A marginal cable: symbol errors and link recoveries now and then. */
    final boolean[] flaky;
    final int[] packetBytes;
    /** Periods left in the port's link-down episode; 0 while up. */
    final byte[] downRemaining;
    /** Received bandwidth of the last period in hundredths of Gb/s, as {@code Infiniband_CBW_f_u_Gbps} writes it. */
    final long[] cbwCents;
    /** {@code Infiniband_Normalized_CBW_f_u_Percent}, the value its 6 significant digits write. */
    final double[] normalizedCbw;
    /** {@code Infiniband_Normalized_MBOut_f_u_Percent}, the value its 6 significant digits write. */
    final double[] normalizedMbOut;

    Ports(int switches, int perSwitch) {
        this.perSwitch = perSwitch;
        this.count = switches * perSwitch;
        this.counters = new long[count * COUNTERS];
        this.baseLoad = new double[count];
        this.load = new double[count];
        this.quiet = new boolean[count];
        this.flaky = new boolean[count];
        this.packetBytes = new int[count];
        this.downRemaining = new byte[count];
        this.cbwCents = new long[count];
        this.normalizedCbw = new double[count];
        this.normalizedMbOut = new double[count];
    }

    /** Draws port {@code port}'s fixed traits: four draws, whatever the outcome. */
    void initialise(int port, double switchBaseLoad, SplittableRandom random) {
        double quietDraw = random.nextDouble();
        double loadDraw = random.nextDouble();
        double flakyDraw = random.nextDouble();
        int packetStep = random.nextInt(PACKET_BYTES_STEPS);
        quiet[port] = quietDraw < QUIET_SHARE;
        baseLoad[port] = quiet[port]
                ? 1e-8 * (1 + 99 * loadDraw)
                : clamp(switchBaseLoad * (0.6 + 0.8 * loadDraw), 0.01, 0.98);
        load[port] = baseLoad[port];
        flaky[port] = flakyDraw < FLAKY_SHARE;
        packetBytes[port] = MIN_PACKET_BYTES + 64 * packetStep;
    }

    boolean isUp(int port) {
        return downRemaining[port] == 0;
    }

    long counter(int port, PortColumn column) {
        return counters[port * COUNTERS + column.ordinal()];
    }

    void add(int port, PortColumn column, long amount) {
        counters[port * COUNTERS + column.ordinal()] += amount;
    }

    /**
     * One period of traffic on port {@code port}, given its draws (drawn by the caller in a fixed
     * order): the load walks, and an up port moves bytes, packets, discards, wait ticks and its
     * latency histogram; a down port moves nothing and its gauges read 0.
     */
    void carryTraffic(int port, double loadNoise, double dropDraw, double txDraw, double errorDraw,
            FabricProperties config, double periodSeconds) {
        double l;
        if (quiet[port]) {
            l = Math.max(0, baseLoad[port] * (1 + 0.3 * loadNoise));
        } else {
            l = clamp(load[port] + 0.25 * (baseLoad[port] - load[port]) + 0.05 * loadNoise, 0.0, 1.0);
        }
        load[port] = l;
        if (!isUp(port)) {
            cbwCents[port] = 0;
            normalizedCbw[port] = 0;
            normalizedMbOut[port] = 0;
            return;
        }
        double capacity = config.linkCapacityGbps();
        double capacityBytes = capacity * BYTES_PER_GBIT * periodSeconds;
        long rx = (long) (l * capacityBytes);
        long tx = (long) Math.min(capacityBytes, rx * (0.9 + 0.2 * txDraw));
        int size = packetBytes[port];
        long packetsOut = tx / size;
        int base = port * COUNTERS;
        long[] c = counters;
        c[base + PortColumn.MB_OUT.ordinal()] += tx;
        c[base + PortColumn.MB_IN.ordinal()] += rx;
        c[base + PortColumn.PCK_OUT.ordinal()] += packetsOut;
        c[base + PortColumn.PCK_IN.ordinal()] += rx / size;
        // congestion: discards grow with the square of the load, transmit wait with its cube
        c[base + PortColumn.XMT_DISCARDS.ordinal()] += (long) (dropDraw * l * l * 8);
        c[base + PortColumn.XMIT_WAIT.ordinal()] += (long) (l * l * l * periodSeconds * 2e5 * (0.5 + dropDraw));
        // the latency histogram of the packets sent: the busier the port, the more in the slow buckets
        long h4 = (long) (packetsOut * l * l * l * l * 0.002);
        long h3 = (long) (packetsOut * l * l * l * 0.01);
        long h2 = (long) (packetsOut * l * l * 0.05);
        long h1 = (long) (packetsOut * l * 0.2);
        c[base + PortColumn.HIST0.ordinal()] += packetsOut - h1 - h2 - h3 - h4;
        c[base + PortColumn.HIST1.ordinal()] += h1;
        c[base + PortColumn.HIST2.ordinal()] += h2;
        c[base + PortColumn.HIST3.ordinal()] += h3;
        c[base + PortColumn.HIST4.ordinal()] += h4;
        if (flaky[port] && errorDraw < 0.3) {
            c[base + PortColumn.SYMBOL_ERRORS.ordinal()] += 1 + (long) (errorDraw * 20);
            if (errorDraw < 0.02) {
                c[base + PortColumn.LINK_RECOVERS.ordinal()]++;
            }
        }
        long cents = Math.min(Math.round(rx * 8 / periodSeconds / 1e7), (long) Math.floor(capacity * 100));
        cbwCents[port] = cents;
        normalizedCbw[port] = Decimals.significant(cents / capacity);
        normalizedMbOut[port] = Decimals.significant(tx * 8e-7 / (periodSeconds * capacity));
    }

    static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
