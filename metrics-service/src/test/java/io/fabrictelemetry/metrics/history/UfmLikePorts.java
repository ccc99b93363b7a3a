package io.fabrictelemetry.metrics.history;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic port rows shaped like UFM Telemetry's high-frequency counter set, for measuring
 * history's size without the generator: per port a load walking around its own base, bursts that
 * switch a port between busy and idle, byte and packet counters growing with it, a latency
 * histogram, transmit-wait ticks and discards growing with congestion, error counters that are
 * mostly zero (a few marginal cables count symbol errors), rare link-down episodes (counters
 * frozen, gauges 0), and gauges written as UFM writes them: hundredths of Gb/s, and normalized
 * percents with 6 significant digits ({@code 5.48295e-7}).
 */
final class UfmLikePorts {

    static final List<String> METRICS = List.of("Infiniband_MBOut_u_Gb", "Infiniband_MBIn_u_Gb",
            "Infiniband_PckOut_u_Packets", "Infiniband_PckIn_u_Packets", "Infiniband_SymbolErrors_u_Errors",
            "Infiniband_LinkRecovers_u_Errors", "Infiniband_LinkDowned_u_Errors", "Infiniband_RcvErrors_u_Errors",
            "Infiniband_RcvRemotePhysErrors_u_Errors", "Infiniband_RcvSwRelayErrors_u_Errors",
            "Infiniband_XmtDiscards_u_Errors", "Infiniband_XmtConstraintErrors_u_Errors",
            "Infiniband_RcvConstraintErrors_u_Errors", "Infiniband_LinkIntegrityErrors_u_Errors",
            "Infiniband_ExcBufOverrunErrors_u_Errors", "Infiniband_VL15Dropped_u_Drops", "Infiniband_XmitWait_u_Ticks",
            "hist0_u_count", "hist1_u_count", "hist2_u_count", "hist3_u_count", "hist4_u_count",
            "Infiniband_CBW_f_u_Gbps", "Infiniband_Normalized_CBW_f_u_Percent",
            "Infiniband_Normalized_MBOut_f_u_Percent");
    static final int COUNTERS = 22;
    static final boolean[] IS_COUNTER = new boolean[METRICS.size()];

    static {
        for (int c = 0; c < COUNTERS; c++) {
            IS_COUNTER[c] = true;
        }
    }

    private static final double CAPACITY_GBPS = 400;
    private static final double PERIOD_SECONDS = 10;

    private final SplittableRandom random;
    private final int ports;
    private final String[] switchOfRow;
    private final int[] portOfRow;
    private final long[][] counters;
    private final double[] base;
    private final double[] load;
    private final boolean[] busy;
    private final boolean[] quiet;
    private final boolean[] flaky;
    private final int[] packetBytes;
    private final int[] down;
    private long sequence;

    UfmLikePorts(int switches, int portsPerSwitch, long seed) {
        random = new SplittableRandom(seed);
        ports = switches * portsPerSwitch;
        switchOfRow = new String[ports];
        portOfRow = new int[ports];
        counters = new long[ports][COUNTERS];
        base = new double[ports];
        load = new double[ports];
        busy = new boolean[ports];
        quiet = new boolean[ports];
        flaky = new boolean[ports];
        packetBytes = new int[ports];
        down = new int[ports];
        for (int s = 0; s < switches; s++) {
            String guid = String.format("0x%016x", 0x248a0703005a0000L + s * 0x101L);
            for (int p = 0; p < portsPerSwitch; p++) {
                int row = s * portsPerSwitch + p;
                switchOfRow[row] = guid;
                portOfRow[row] = p + 1;
                quiet[row] = random.nextDouble() < 0.1;
                flaky[row] = random.nextDouble() < 0.02;
                base[row] = 0.05 + 0.9 * random.nextDouble();
                load[row] = base[row];
                busy[row] = random.nextDouble() < 0.7;
                packetBytes[row] = 256 + 64 * random.nextInt(61);
                // counted since the port last came up, at its own packet size
                long sent = random.nextLong(1L << 40);
                long received = random.nextLong(1L << 40);
                counters[row][0] = sent;
                counters[row][1] = received;
                counters[row][2] = sent / packetBytes[row];
                counters[row][3] = received / packetBytes[row];
                counters[row][16] = random.nextLong(1L << 30);
                counters[row][17] = counters[row][2] * 9 / 10;
                counters[row][18] = counters[row][2] / 12;
                counters[row][19] = counters[row][2] / 60;
                counters[row][20] = counters[row][2] / 400;
                counters[row][21] = counters[row][2] / 3000;
            }
        }
    }

    int ports() {
        return ports;
    }

    /** The next period's snapshot, sampled {@code periodMillis} after the previous one. */
    PortGrid next(long sampledAtMillis) {
        PortGrid grid = PortGrid.of(++sequence, sampledAtMillis, METRICS, IS_COUNTER, switchOfRow, portOfRow);
        for (int row = 0; row < ports; row++) {
            long[] c = counters[row];
            if (down[row] > 0) {
                down[row]--;
            } else if (random.nextDouble() < 0.001) {
                down[row] = 1 + random.nextInt(6);
                c[6]++; // link downed
            }
            if (random.nextDouble() < 0.05) {
                busy[row] = !busy[row]; // a burst starts or ends
            }
            double target = quiet[row] ? 1e-7 : busy[row] ? base[row] : 0.002;
            // noise relative to the level: an idle port's trickle varies by a few percent, not by 10 Gb/s
            load[row] = Math.max(0, Math.min(1, load[row] + 0.5 * (target - load[row])
                    + 0.06 * target * (random.nextDouble() * 2 - 1)));
            double l = load[row];
            double rxGbps = 0;
            double txGbps = 0;
            if (down[row] == 0) {
                long rx = (long) (l * CAPACITY_GBPS * 1.25e8 * PERIOD_SECONDS);
                long tx = (long) (rx * (0.9 + 0.2 * random.nextDouble()));
                rxGbps = rx * 8 / 1e9 / PERIOD_SECONDS;
                txGbps = tx * 8 / 1e9 / PERIOD_SECONDS;
                long packetsOut = tx / packetBytes[row];
                c[0] += tx;
                c[1] += rx;
                c[2] += packetsOut;
                c[3] += rx / packetBytes[row];
                if (flaky[row] && random.nextDouble() < 0.3) {
                    c[4] += 1 + random.nextInt(20);
                    if (random.nextDouble() < 0.05) {
                        c[5]++;
                    }
                }
                if (random.nextDouble() < 0.0005) {
                    c[7] += 1 + random.nextInt(3); // a rare receive error
                }
                c[10] += (long) (random.nextDouble() * l * l * 8);
                c[16] += (long) (l * l * l * PERIOD_SECONDS * 2e5 * (0.5 + random.nextDouble()));
                long h4 = (long) (packetsOut * l * l * l * l * 0.002);
                long h3 = (long) (packetsOut * l * l * l * 0.01);
                long h2 = (long) (packetsOut * l * l * 0.05);
                long h1 = (long) (packetsOut * l * 0.2);
                c[17] += packetsOut - h1 - h2 - h3 - h4;
                c[18] += h1;
                c[19] += h2;
                c[20] += h3;
                c[21] += h4;
            }
            for (int col = 0; col < COUNTERS; col++) {
                grid.integer(row, col, c[col]);
            }
            grid.decimal(row, 22, Math.round(rxGbps * 100) / 100.0);
            grid.decimal(row, 23, significant(rxGbps / CAPACITY_GBPS));
            grid.decimal(row, 24, significant(txGbps / CAPACITY_GBPS));
        }
        return grid;
    }

    /** The value a 6-significant-digit text ({@code %g}) reads back as. */
    static double significant(double value) {
        if (value == 0) {
            return 0;
        }
        return new BigDecimal(value).round(new MathContext(6)).doubleValue();
    }
}
