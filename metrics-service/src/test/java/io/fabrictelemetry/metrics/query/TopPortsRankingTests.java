package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;

/**
 * The ranking of ports: the bounded heap agrees with a full sort of every port (ties by port row,
 * the source's order), over random fabrics full of ties and gaps; rankings are kept per snapshot,
 * apart from the switches' of the same column.
 */
class TopPortsRankingTests {

    private static Snapshot fabric(SplittableRandom random, int switches, int distinct) {
        StringBuilder csv = new StringBuilder("timestamp,node_guid,port_num,m\n");
        for (int s = 0; s < switches; s++) {
            int ports = 1 + random.nextInt(8);
            for (int p = 1; p <= ports; p++) {
                String value = random.nextInt(5) == 0 ? ""
                        : random.nextBoolean() ? Integer.toString(random.nextInt(distinct) - distinct / 2)
                        : Double.toString((random.nextInt(distinct) - distinct / 2) / 4.0);
                csv.append("1709652347161873,").append(String.format("0x%016x", 0x2c90300000000L + s)).append(',')
                        .append(p * 3).append(',').append(value).append('\n');
            }
        }
        return new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)))
                .publish(PortFabric.table(csv.toString()), Instant.EPOCH, Instant.EPOCH, null);
    }

    @Test
    void boundedHeapSelectsWhatAFullSortOfThePortsWould() {
        SplittableRandom random = new SplittableRandom(17);
        for (int round = 0; round < 100; round++) {
            Snapshot snapshot = fabric(random, 1 + random.nextInt(60), 1 + random.nextInt(20));
            PortView ports = snapshot.ports();
            int column = snapshot.metricColumn("m");
            int k = 1 + random.nextInt(ports.portCount() + 5);
            for (boolean descending : new boolean[] {true, false}) {
                Comparator<Integer> byValue = Comparator.comparingDouble(row -> ports.numericValue(row, column));
                int[] expected = IntStream.range(0, ports.portCount()).boxed()
                        .filter(row -> !Double.isNaN(ports.numericValue(row, column)))
                        .sorted((descending ? byValue.reversed() : byValue).thenComparing(Comparator.naturalOrder()))
                        .limit(k)
                        .mapToInt(Integer::intValue).toArray();
                assertThat(TopRanking.topPorts(ports, column, descending, k))
                        .as("round %d, %d ports, k %d, %s", round, ports.portCount(), k, descending ? "desc" : "asc")
                        .containsExactly(expected);
            }
        }
    }

    @Test
    void portRankingsAreKeptPerSnapshotApartFromTheSwitches() {
        Snapshot snapshot = fabric(new SplittableRandom(3), 40, 7);
        PortView ports = snapshot.ports();
        int column = snapshot.metricColumn("m");
        TopRanking ranking = new TopRanking();
        int[] portRows = ranking.portRows(snapshot, ports, column, true);
        int[] switchRows = ranking.rows(snapshot, column, true);
        assertThat(ranking.portRows(snapshot, ports, column, true)).isSameAs(portRows);
        assertThat(ranking.rows(snapshot, column, true)).isSameAs(switchRows)
                .containsExactly(TopRanking.top(snapshot, column, true, TopSwitchesQuery.MAX_LIMIT));
        assertThat(portRows).containsExactly(TopRanking.topPorts(ports, column, true, TopSwitchesQuery.MAX_LIMIT));
        assertThat(ranking.portRows(snapshot, ports, column, false))
                .containsExactly(TopRanking.topPorts(ports, column, false, TopSwitchesQuery.MAX_LIMIT));
        assertThat(List.of(portRows.length, switchRows.length)).doesNotContain(0);
    }
}
