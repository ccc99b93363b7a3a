package io.fabrictelemetry.metrics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

/** The bounded-heap selection agrees with a full sort, over random columns full of ties and gaps. */
class TopRankingTests {

    @Test
    void boundedHeapSelectsWhatAFullSortWouldWhateverTheSizeTiesAndGaps() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 200; round++) {
            int switches = 1 + random.nextInt(300);
            int distinct = 1 + random.nextInt(20); // few distinct values: many ties
            String[] ids = IntStream.range(0, switches).mapToObj(i -> "sw-" + i).toArray(String[]::new);
            long[] cells = new long[switches];
            byte[] kinds = new byte[switches];
            for (int row = 0; row < switches; row++) {
                if (random.nextInt(5) == 0) {
                    kinds[row] = CellKind.NONE;
                } else if (random.nextBoolean()) {
                    kinds[row] = CellKind.INTEGER;
                    cells[row] = random.nextInt(distinct) - distinct / 2;
                } else {
                    kinds[row] = CellKind.DECIMAL;
                    cells[row] = Double.doubleToRawLongBits((random.nextInt(distinct) - distinct / 2) / 4.0);
                }
            }
            Snapshot snapshot = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30))).publish(Table.of(List.of("m"), List.of(ids), cells, kinds, 0, 0),
                    Instant.EPOCH, Instant.EPOCH, null);
            int k = 1 + random.nextInt(switches + 5);
            for (boolean descending : new boolean[] {true, false}) {
                Comparator<Integer> byValue = Comparator.comparingDouble(row -> snapshot.numericValue(row, 0));
                List<Integer> expected = IntStream.range(0, switches).boxed()
                        .filter(row -> !Double.isNaN(snapshot.numericValue(row, 0)))
                        .sorted((descending ? byValue.reversed() : byValue).thenComparing(Comparator.naturalOrder()))
                        .limit(k)
                        .toList();
                assertThat(TopRanking.top(snapshot, 0, descending, k))
                        .as("round %d, %d switches, k %d, %s", round, switches, k, descending ? "desc" : "asc")
                        .containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    @Test
    void rankingsAreKeptPerSnapshotAndAnOlderSnapshotNeverReplacesThem() {
        SnapshotStore store = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)));
        Table table = Table.of(List.of("m"), List.of("a", "b"), new long[] {1, 2},
                new byte[] {CellKind.INTEGER, CellKind.INTEGER}, 0, 0);
        Snapshot older = store.publish(table, Instant.EPOCH, Instant.EPOCH, null);
        Snapshot newer = store.publish(table, Instant.EPOCH, Instant.EPOCH, null);
        TopRanking ranking = new TopRanking();
        int[] first = ranking.rows(newer, 0, true);
        assertThat(first).containsExactly(1, 0);
        assertThat(ranking.rows(newer, 0, true)).isSameAs(first);
        assertThat(ranking.rows(older, 0, true)).containsExactly(1, 0).isNotSameAs(first);
        assertThat(ranking.rows(newer, 0, true)).isSameAs(first);
        assertThat(ranking.rows(newer, 0, false)).containsExactly(0, 1);
    }
}
