package io.fabrictelemetry.metrics.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What history costs a point on port rows shaped like UFM Telemetry's, and that it keeps them exactly. */
class PortHistorySizeTests {

    static final long PERIOD = 10_000;

    @Test
    void storesUfmLikePortRowsInAtMostOneAndAHalfBytesPerPoint() {
        UfmLikePorts fabric = new UfmLikePorts(50, 40, 11);
        History history = new History(Long.MAX_VALUE / 4, Long.MAX_VALUE);
        for (int s = 0; s < 91; s++) {
            history.append(fabric.next(s * PERIOD), s * PERIOD);
        }
        double bytesPerPoint = (double) history.frameBytes() / history.cells();
        System.out.printf("UFM-like ports: %d ports x %d metrics, %d frames: %.3f bytes/point in frames, %.3f all counted%n",
                fabric.ports(), UfmLikePorts.METRICS.size(), history.frames(), bytesPerPoint,
                (double) history.bytes() / history.cells());
        assertThat(bytesPerPoint).isLessThanOrEqualTo(1.5);
    }

    @Test
    void everyKeptCellOfUfmLikeRowsReadsBackExactlyThroughPredictionAndEviction() {
        UfmLikePorts fabric = new UfmLikePorts(12, 40, 3);
        History history = new History(20 * PERIOD - 1, Long.MAX_VALUE); // 20 kept: every append re-keys
        List<PortGrid> grids = new ArrayList<>();
        for (int s = 0; s < 45; s++) {
            PortGrid grid = fabric.next(s * PERIOD);
            // now and then a port without readings, or carried over, or sampled apart from the others
            if (s % 7 == 3) {
                grid.none(s, 2).none(s + 1, 17).carry(s + 40, (s - 1) * PERIOD * 1_000_000L + 123_456);
            }
            grid.at(s % fabric.ports(), s * PERIOD * 1_000_000L - 987_654_321L);
            grids.add(grid);
            history.append(grid, s * PERIOD);
        }
        List<PortGrid> kept = grids.subList(25, 45);
        assertThat(history.frames()).isEqualTo(20);
        for (int row = 0; row < fabric.ports(); row++) {
            String guid = kept.get(0).switchId(row);
            int port = kept.get(0).portNumber(row);
            for (int column = 0; column < UfmLikePorts.METRICS.size(); column++) {
                List<Point> expected = new ArrayList<>();
                for (PortGrid grid : kept) {
                    if (!grid.carriedOver(row)) {
                        expected.add(new Point(Math.floorDiv(grid.sampledAtNanos(row), 1_000_000L), grid.sequence(),
                                grid.kind(row, column), grid.bits(row, column)));
                    }
                }
                assertThat(history.queryPort(guid, port, UfmLikePorts.METRICS.get(column), Long.MIN_VALUE,
                        44 * PERIOD)).as("port %d of %s, %s", port, guid, UfmLikePorts.METRICS.get(column))
                        .containsExactlyElementsOf(expected);
            }
        }
    }
}
