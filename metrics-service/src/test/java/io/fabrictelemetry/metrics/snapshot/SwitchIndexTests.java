package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SwitchIndexTests {

    @Test
    void findsEveryRowOfAFabricAndNothingElse() {
        String[] ids = new String[100_000];
        for (int row = 0; row < ids.length; row++) {
            ids[row] = String.format("sw-%06d", row + 1);
        }
        SwitchIndex index = SwitchIndex.of(ids);

        assertThat(index.size()).isEqualTo(ids.length);
        for (int row = 0; row < ids.length; row++) {
            assertThat(index.row(new String(ids[row]), ids)).isEqualTo(row); // equal, not the same String
        }
        assertThat(index.row("sw-000000", ids)).isEqualTo(-1);
        assertThat(index.row("sw-100001", ids)).isEqualTo(-1);
        assertThat(index.row("", ids)).isEqualTo(-1);
        assertThat(index.isMap()).as("distinct hashes stay in the probing table").isFalse();
    }

    @Test
    void idsWithTheSameHashAreToldApart() {
        // "Aa" and "BB" have the same String hash, and so has every concatenation of them
        List<String> colliding = new ArrayList<>();
        for (int bits = 0; bits < 256; bits++) {
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                id.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            colliding.add(id.toString());
        }
        assertThat(colliding.stream().mapToInt(String::hashCode).distinct()).hasSize(1);
        String[] ids = colliding.subList(0, 200).toArray(String[]::new);
        SwitchIndex index = SwitchIndex.of(ids);

        for (int row = 0; row < ids.length; row++) {
            assertThat(index.row(colliding.get(row), ids)).isEqualTo(row);
        }
        for (int absent = 200; absent < 256; absent++) {
            assertThat(index.row(colliding.get(absent), ids)).isEqualTo(-1);
        }
    }

    @Test
    void growsBeyondTheSizeItWasMadeFor() {
        String[] ids = new String[5_000];
        SwitchIndex index = new SwitchIndex(1);
        for (int row = 0; row < ids.length; row++) {
            ids[row] = "switch " + row;
            index.put(ids[row], row, ids);
            assertThat(index.row(ids[row], ids)).isEqualTo(row);
        }

        assertThat(index.size()).isEqualTo(ids.length);
        for (int row = 0; row < ids.length; row++) {
            assertThat(index.row(ids[row], ids)).isEqualTo(row);
        }
    }

    @Test
    void anIdIndexedAgainMovesToItsNewRow() {
        String[] ids = {"sw-1", "sw-2", "sw-1"};
        SwitchIndex index = SwitchIndex.of(ids);

        assertThat(index.size()).isEqualTo(2);
        assertThat(index.row("sw-1", ids)).isEqualTo(2);
        assertThat(index.row("sw-2", ids)).isEqualTo(1);
    }

    @Test
    void aPayloadOfCollidingIdsMovesTheIndexToAMapAndEveryRowIsStillFound() {
        // 2^15 IDs with one String hash: probing alone would take time quadratic in their number
        String[] ids = new String[1 << 15];
        for (int bits = 0; bits < ids.length; bits++) {
            StringBuilder id = new StringBuilder("sw-");
            for (int i = 0; i < 15; i++) {
                id.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            ids[bits] = id.toString();
        }
        SwitchIndex index = new SwitchIndex(16);
        for (int row = 0; row < ids.length; row++) {
            index.put(ids[row], row, ids);
        }

        assertThat(index.isMap()).isTrue();
        assertThat(index.size()).isEqualTo(ids.length);
        for (int row = 0; row < ids.length; row++) {
            assertThat(index.row(ids[row], ids)).isEqualTo(row);
        }
        assertThat(index.row("sw-" + "Aa".repeat(14) + "BC", ids)).isEqualTo(-1);
        index.put(ids[7], 0, ids);
        assertThat(index.row(ids[7], ids)).as("an ID indexed again moves, as in the table").isEqualTo(0);
    }
}
