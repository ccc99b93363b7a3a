package io.fabrictelemetry.metrics.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * What the counter rates add to the ingestion critical path, measured in pairs: each round
 * publishes the same payload into a store with the default counters and into one with none,
 * in alternating order, and keeps the ratio of the two times. On a machine whose load drifts
 * (shared cores), the median of per-round ratios is steadier than two separate JMH runs, whose
 * load differs. Steady state: each payload replaces the previous one, 10 s later, so every rate
 * has a previous value. A full GC runs before each timed publish, outside the timing: this measures
 * the work, not when the collector happens to run.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.fabrictelemetry.metrics.ingest.RatesCost 100000 40 growing}
 * (or {@code random}: see {@link RatesBenchmark#payload})
 */
public final class RatesCost {

    private RatesCost() {
    }

    public static void main(String[] args) {
        int switches = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        String kind = args.length > 2 ? args[2] : "growing";
        byte[][] payloads = RatesBenchmark.payloads(switches, kind);
        StaleProperties stale = new StaleProperties(Duration.ofSeconds(30));
        SnapshotStore with = new SnapshotStore(stale, CounterProperties.defaults());
        SnapshotStore without = new SnapshotStore(stale, CounterProperties.none());
        int warmup = Math.max(10, rounds / 2);
        double[] withMs = new double[rounds];
        double[] withoutMs = new double[rounds];
        double[] ratios = new double[rounds];
        for (int round = -warmup; round < rounds; round++) {
            byte[] payload = payloads[(round + warmup) % payloads.length];
            Instant sampledAt = Instant.ofEpochSecond(10L * (round + warmup));
            double a;
            double b;
            if ((round & 1) == 0) {
                a = publish(with, payload, sampledAt);
                b = publish(without, payload, sampledAt);
            } else {
                b = publish(without, payload, sampledAt);
                a = publish(with, payload, sampledAt);
            }
            if (round >= 0) {
                withMs[round] = a;
                withoutMs[round] = b;
                ratios[round] = a / b;
            }
        }
        Arrays.sort(withMs);
        Arrays.sort(withoutMs);
        Arrays.sort(ratios);
        System.out.printf("switches %d, %s payloads, %d paired rounds after %d warm-up rounds%n", switches, kind, rounds,
                warmup);
        System.out.printf("parse + build + publish, median: with rates %.1f ms, without %.1f ms%n",
                withMs[rounds / 2], withoutMs[rounds / 2]);
        System.out.printf("per-round ratio with/without: median %.3f, quartiles %.3f .. %.3f, min %.3f, max %.3f%n",
                ratios[rounds / 2], ratios[rounds / 4], ratios[3 * rounds / 4], ratios[0], ratios[rounds - 1]);
    }

    private static double publish(SnapshotStore store, byte[] payload, Instant sampledAt) {
        // collect the previous rounds' garbage first, so that neither side pays for the other's
        // (each body is a direct buffer, freed only by a GC; a full GC inside a timed publish would
        // land on whichever side happened to hit the limit)
        System.gc();
        long start = System.nanoTime();
        store.publish(CsvPayloadParser.parse(payload, store.current()), sampledAt, sampledAt, "\"bench\"");
        return (System.nanoTime() - start) / 1e6;
    }
}
