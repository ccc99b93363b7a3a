package io.fabrictelemetry.metrics.history;

import java.util.Arrays;

/**
 * Measures history at scale on synthetic UFM-like port rows (not a test: run by hand, see
 * README "Memory budget"): {@code java -Xmx2g -cp <test classpath> io.fabrictelemetry.metrics.history.PortHistoryScale 5000 40 91}.
 * Prints bytes per point, the heap history holds, append time at the steady state (with eviction
 * and re-keying), and the time of one port's and one aggregate's 15-minute query.
 */
public final class PortHistoryScale {

    private PortHistoryScale() {
    }

    public static void main(String[] args) {
        int switches = Integer.parseInt(args[0]);
        int portsPerSwitch = Integer.parseInt(args[1]);
        int frames = Integer.parseInt(args[2]);
        long period = 10_000;
        UfmLikePorts fabric = new UfmLikePorts(switches, portsPerSwitch, 42);
        History history = new History(15 * 60_000, Long.MAX_VALUE);
        long[] appendNanos = new long[frames + 10];
        for (int s = 0; s < frames + 10; s++) {
            PortGrid grid = fabric.next(s * period);
            long started = System.nanoTime();
            history.append(grid, s * period);
            appendNanos[s] = System.nanoTime() - started;
            if (s == frames - 1) {
                System.out.printf("after %d frames: %d frames kept, %.3f bytes/point in frames, %.3f all counted, "
                        + "%.1f MiB in all%n", frames, history.frames(), (double) history.frameBytes() / history.cells(),
                        (double) history.bytes() / history.cells(), history.bytes() / 1048576.0);
            }
        }
        long[] steady = Arrays.copyOfRange(appendNanos, frames, frames + 10);
        Arrays.sort(steady);
        System.out.printf("append at the steady state (evict + re-key): median %.0f ms, max %.0f ms%n",
                steady[5] / 1e6, steady[9] / 1e6);
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        System.out.printf("heap used after GC (history + the generator's state): %.1f MiB%n",
                (runtime.totalMemory() - runtime.freeMemory()) / 1048576.0);
        long now = (frames + 9) * period;
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (String what : new String[] {"port", "aggregate"}) {
            for (String metric : new String[] {"Infiniband_PckIn_u_Packets", "Infiniband_PckIn_u_Packets_per_second"}) {
                long[] times = new long[2000];
                int points = 0;
                for (int i = 0; i < times.length; i++) {
                    String guid = String.format("0x%016x", 0x248a0703005a0000L + random.nextInt(switches) * 0x101L);
                    long started = System.nanoTime();
                    points = what.equals("port")
                            ? history.queryPort(guid, 1 + random.nextInt(portsPerSwitch), metric, Long.MIN_VALUE, now).size()
                            : history.query(guid, metric, Long.MIN_VALUE, now).size();
                    times[i] = System.nanoTime() - started;
                }
                long[] measured = Arrays.copyOfRange(times, 1000, 2000); // the first 1,000: warm-up
                Arrays.sort(measured);
                System.out.printf("%s %s over 15 minutes (%d points): median %.3f ms, p99 %.3f ms%n",
                        what, metric, points, measured[500] / 1e6, measured[990] / 1e6);
            }
        }
    }
}
