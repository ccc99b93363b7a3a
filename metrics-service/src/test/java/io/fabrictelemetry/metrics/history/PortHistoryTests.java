package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.ingest.CsvPayloads;
import io.fabrictelemetry.metrics.snapshot.CounterProperties;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * History of port rows against the snapshots themselves: snapshots built from CSV by the service's
 * own parser and store (aggregates, per-port rates, carry-over), recorded, then every series of
 * every port and every switch aggregate, rates included, compared point by point with what each
 * published snapshot answered at that time.
 */
class PortHistoryTests {

    static final long PERIOD = 10_000;
    static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    static final List<String> METRICS = List.of("Infiniband_PckIn_u_Packets", "Infiniband_SymbolErrors_u_Errors",
            "Infiniband_CBW_f_u_Gbps", "temperature_c");
    static final String HEADER = "timestamp,source_id,tag,node_guid,port_guid,port_num,node_description,"
            + String.join(",", METRICS) + "\n";

    /** A random fabric of port rows, published snapshot after snapshot through the service's own path. */
    static final class RandomFabric {

        final SplittableRandom random;
        final SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofHours(1)),
                CounterProperties.defaults());
        final List<Snapshot> published = new ArrayList<>();
        final int switches;
        final long[][] counters; // [switch * 8 + port][metric]
        final long[] lastMicros;

        RandomFabric(long seed, int switches) {
            this.random = new SplittableRandom(seed);
            this.switches = switches;
            this.counters = new long[switches * 8][2];
            this.lastMicros = new long[switches * 8];
        }

        static String guid(int s) {
            return String.format("0x%016x", 0xe41d2d0300a1b000L + s);
        }

        Snapshot next(int k) {
            long frameMicros = (T0.toEpochMilli() + k * PERIOD) * 1000;
            StringBuilder csv = new StringBuilder(HEADER);
            for (int s = 0; s < switches; s++) {
                // each switch's ports: usually 1..4, now and then 5 or 6 (the layout changes)
                int ports = 1 + (s % 4) + (random.nextInt(10) == 0 ? 1 + random.nextInt(2) : 0);
                for (int p = 1; p <= ports; p++) {
                    int i = s * 8 + p;
                    long micros;
                    int timing = random.nextInt(20);
                    if (timing == 0 && lastMicros[i] > 0) {
                        micros = lastMicros[i]; // a port whose reading did not move on: the same sample again
                    } else {
                        micros = frameMicros - (timing < 5 ? random.nextInt(2_000_000) : 0);
                    }
                    lastMicros[i] = micros;
                    StringBuilder row = new StringBuilder().append(micros).append(",src,,").append(guid(s)).append(',')
                            .append(guid(s)).append(',').append(p).append(",leaf-").append(s);
                    for (int m = 0; m < 2; m++) {
                        row.append(',').append(counter(i, m));
                    }
                    row.append(',').append(gauge(s == 0));
                    row.append(',').append(gauge(false));
                    if (random.nextInt(25) == 0 && k > 0) {
                        row.setLength(row.lastIndexOf(",")); // cut short: damaged, the port carried over
                    }
                    csv.append(row).append('\n');
                }
            }
            Snapshot snapshot = store.publish(CsvPayloads.parse(csv.toString().getBytes(StandardCharsets.UTF_8),
                    store.current()), Instant.ofEpochMilli(frameMicros / 1000), T0.plusMillis(k * PERIOD + 50), null);
            published.add(snapshot);
            return snapshot;
        }

        private String counter(int i, int m) {
            int roll = random.nextInt(100);
            if (roll < 5) {
                return ""; // no reading
            }
            if (roll < 7) {
                counters[i][m] = random.nextInt(50); // a reset
            } else if (roll < 9) {
                return (counters[i][m] + random.nextInt(1000)) + "." + random.nextInt(10); // a decimal counter
            } else if (roll < 10) {
                counters[i][m] = 4_000_000_000_000_000_000L + random.nextLong(1_000_000_000_000_000_000L); // sums overflow
            } else {
                counters[i][m] += m == 0 ? random.nextLong(5_000_000_000L) : random.nextInt(100) < 80 ? 0 : random.nextInt(9);
            }
            return Long.toString(counters[i][m]);
        }

        private String gauge(boolean exponents) {
            int roll = random.nextInt(100);
            if (roll < 5) {
                return "";
            }
            if (exponents || roll < 15) {
                return String.format("%.5e", random.nextDouble() * Math.pow(10, random.nextInt(-9, 3)));
            }
            if (roll < 25) {
                return Integer.toString(random.nextInt(-50, 400));
            }
            return String.format("%.2f", random.nextDouble() * 400 - 20);
        }
    }

    static Point expectedPoint(long at, Snapshot snapshot, byte kind, long bits) {
        return new Point(at, snapshot.sequence(), kind, bits);
    }

    /**
     * Whether history cannot derive the port's rate in kept snapshot {@code k}: the oldest kept one
     * has no previous value, and a port repeating a sample keeps the rate it had (the snapshot's rule).
     */
    static boolean rateUnknown(List<Snapshot> kept, int k, String id, int port) {
        if (k == 0) {
            return true;
        }
        PortView ports = kept.get(k).ports();
        int portRow = ports.portRow(kept.get(k).switchRow(id), port);
        PortView before = kept.get(k - 1).ports();
        int previousRow = before.portRow(kept.get(k - 1).switchRow(id), port);
        if (portRow < 0 || ports.carriedOver(portRow) || previousRow < 0) {
            return false;
        }
        return ports.sampledAt(portRow).equals(before.sampledAt(previousRow)) && rateUnknown(kept, k - 1, id, port);
    }

    /** Every aggregate and port series of every metric, rates included, equals the snapshots' answers. */
    static void assertEverySeriesMatches(History history, List<Snapshot> kept, long now, long retention) {
        Snapshot last = kept.get(kept.size() - 1);
        int carriedPorts = 0;
        for (int column = 0; column < last.metrics().size(); column++) {
            String metric = last.metrics().get(column);
            boolean rate = last.isRate(column);
            for (int s = 0; s < last.switchCount(); s++) {
                String id = RandomFabric.guid(s);
                List<Point> aggregate = new ArrayList<>();
                for (int k = 0; k < kept.size(); k++) {
                    Snapshot snapshot = kept.get(k);
                    int row = snapshot.switchRow(id);
                    PortView ports = snapshot.ports();
                    boolean fresh = false;
                    for (int p = ports.firstPort(row); p < ports.endPort(row); p++) {
                        fresh |= !ports.carriedOver(p);
                    }
                    boolean unknown = false;
                    for (int p = ports.firstPort(row); p < ports.endPort(row) && rate; p++) {
                        unknown |= rateUnknown(kept, k, id, ports.portNumber(p));
                    }
                    if (fresh && !unknown && snapshot.sampledAt(id).toEpochMilli() >= now - retention) {
                        aggregate.add(expectedPoint(snapshot.sampledAt(id).toEpochMilli(), snapshot,
                                snapshot.cellKind(row, column), snapshot.cellBits(row, column)));
                    }
                }
                assertThat(history.query(id, metric, Long.MIN_VALUE, now))
                        .as("aggregate of %s of %s", metric, id).containsExactlyElementsOf(aggregate);
                for (int port = 1; port <= 6; port++) {
                    List<Point> points = new ArrayList<>();
                    for (int k = 0; k < kept.size(); k++) {
                        Snapshot snapshot = kept.get(k);
                        PortView ports = snapshot.ports();
                        int portRow = ports.portRow(snapshot.switchRow(id), port);
                        if (portRow >= 0 && !ports.carriedOver(portRow) && !(rate && rateUnknown(kept, k, id, port))
                                && ports.sampledAt(portRow).toEpochMilli() >= now - retention) {
                            points.add(expectedPoint(ports.sampledAt(portRow).toEpochMilli(), snapshot,
                                    ports.cellKind(portRow, column), ports.cellBits(portRow, column)));
                        } else if (portRow >= 0 && column == 0) {
                            carriedPorts++;
                        }
                    }
                    assertThat(history.queryPort(id, port, metric, Long.MIN_VALUE, now))
                            .as("port %d of %s, %s", port, id, metric).containsExactlyElementsOf(points);
                }
            }
        }
        assertThat(carriedPorts).as("carried-over ports exercised").isPositive();
    }

    @RepeatedTest(8)
    void everyPortsAndEveryAggregatesSeriesIsWhatEachSnapshotAnswered(RepetitionInfo repetition) {
        RandomFabric fabric = new RandomFabric(repetition.getCurrentRepetition(), 7);
        History history = new History(Duration.ofHours(1).toMillis(), Long.MAX_VALUE);
        for (int k = 0; k < 40; k++) {
            Snapshot snapshot = fabric.next(k);
            history.append(PortColumns.of(snapshot, snapshot.ports()), snapshot.sampledAt().toEpochMilli());
        }
        assertEverySeriesMatches(history, fabric.published, fabric.published.get(39).sampledAt().toEpochMilli(),
                Duration.ofHours(1).toMillis());
    }

    @RepeatedTest(4)
    void afterEvictionTheKeptSnapshotsSeriesStillMatchAndRatesStartAtTheSecondKept(RepetitionInfo repetition) {
        RandomFabric fabric = new RandomFabric(100 + repetition.getCurrentRepetition(), 7);
        History history = new History(Duration.ofSeconds(95).toMillis(), Long.MAX_VALUE); // 10 snapshots
        for (int k = 0; k < 40; k++) {
            Snapshot snapshot = fabric.next(k);
            history.append(PortColumns.of(snapshot, snapshot.ports()), snapshot.sampledAt().toEpochMilli());
        }
        assertThat(history.frames()).isEqualTo(10);
        // points sampled before the retention (a port's stale sample) are not answered, as any older point
        assertEverySeriesMatches(history, fabric.published.subList(30, 40),
                fabric.published.get(39).sampledAt().toEpochMilli(), Duration.ofSeconds(95).toMillis());
    }

    @Test
    void ratesAreNotStoredButDerivedAndAggregatesAreNotStoredEither() {
        RandomFabric fabric = new RandomFabric(5, 3);
        History history = new History(Duration.ofHours(1).toMillis(), Long.MAX_VALUE);
        Snapshot snapshot = fabric.next(0);
        history.append(PortColumns.of(snapshot, snapshot.ports()), 0);
        // 4 source metrics stored per port (the 2 rates are not), nothing per switch
        assertThat(snapshot.metrics()).hasSize(6);
        assertThat(history.cells()).isEqualTo(4L * snapshot.ports().portCount());
        assertThat(history.hasMetric("Infiniband_PckIn_u_Packets_per_second")).isTrue();
        assertThat(history.hasMetric("temperature_c_per_second")).isFalse();
        assertThat(history.isSum("Infiniband_PckIn_u_Packets_per_second")).isTrue();
        assertThat(history.isSum("Infiniband_CBW_f_u_Gbps")).isFalse();
    }

    @Test
    void switchRowsHaveNoPortSeries() {
        History history = new History(Duration.ofHours(1).toMillis(), Long.MAX_VALUE);
        history.append(Grid.of(1, 0, List.of("a"), new String[] {"sw-1"}).integer(0, 0, 5), 0);
        assertThat(history.queryPort("sw-1", 1, "a", Long.MIN_VALUE, 0)).isEmpty();
        assertThat(history.hasPort("sw-1", 1)).isFalse();
        assertThat(history.query("sw-1", "a", Long.MIN_VALUE, 0)).extracting(Point::bits).containsExactly(5L);
    }
}
