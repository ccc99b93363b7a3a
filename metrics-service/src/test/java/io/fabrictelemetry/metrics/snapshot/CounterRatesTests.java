package io.fabrictelemetry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabrictelemetry.metrics.body.Bodies;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rate rules, one row per case: {@code <counter>_per_second = (v_now - v_prev) / (t_now - t_prev)},
 * resets counted from zero, no value without two values a positive time apart, 3 decimals.
 */
class CounterRatesTests {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final StaleProperties STALE = new StaleProperties(Duration.ofHours(1));
    private final SnapshotStore store = new SnapshotStore(STALE, new CounterProperties(List.of("packet_errors")));

    /** A cell as the CSV would give it: empty is no reading, a dot makes a decimal, else an integer. */
    private static long cell(String text) {
        return text.contains(".") ? Double.doubleToRawLongBits(Double.parseDouble(text)) : Long.parseLong(text);
    }

    private static byte kind(String text) {
        return text.isEmpty() ? CellKind.NONE : text.contains(".") ? CellKind.DECIMAL : CellKind.INTEGER;
    }

    /** One switch per value, column packet_errors; an empty text is no reading. */
    static Table table(List<String> metrics, List<String> ids, String... values) {
        long[] cells = new long[values.length];
        byte[] kinds = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            kinds[i] = kind(values[i]);
            cells[i] = values[i].isEmpty() ? 0 : cell(values[i]);
        }
        return Table.of(metrics, ids, cells, kinds, 0, 0);
    }

    private Snapshot publish(String value, Instant sampledAt) {
        return store.publish(table(List.of("packet_errors"), List.of("sw-1"), value), sampledAt, sampledAt, null);
    }

    private static @Nullable Object rate(Snapshot snapshot, String switchId) {
        double rate = snapshot.numericValue(snapshot.switchRow(switchId), snapshot.metricColumn("packet_errors_per_second"));
        return Double.isNaN(rate) ? null : rate;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "none", delimiter = '|', textBlock = """
            # case                                  | v_prev               | v_now                | t_now - t_prev (ms) | rate
            increase                                | 100                  | 150                  | 10000               | 5.0
            no change                               | 100                  | 100                  | 10000               | 0.0
            reset: the counter went down            | 100                  | 30                   | 10000               | 3.0
            reset to zero                           | 100                  | 0                    | 10000               | 0.0
            rounded to 3 decimals                   | 0                    | 1                    | 3000                | 0.333
            rounded half up                         | 0                    | 1                    | 16000               | 0.063
            rounded up at the third decimal         | 0                    | 2                    | 3000                | 0.667
            milliseconds count                      | 10                   | 11                   | 1500                | 0.667
            decimal counters                        | 1.5                  | 4.0                  | 2000                | 1.25
            a decimal and an integer                | 7                    | 8.5                  | 1000                | 1.5
            exact beyond 2^53                       | 1152921504606846976  | 1152921504606847976  | 1000                | 1000.0
            no previous reading                     | ''                   | 150                  | 10000               | none
            no reading now                          | 100                  | ''                   | 10000               | none
            same sampledAt, no rate before          | 100                  | 150                  | 0                   | none
            sampledAt went back                     | 100                  | 150                  | -5000               | none
            increase beyond the double range        | -1.7e308             | 1.7e308              | 1000                | none
            huge but finite                         | 0.0                  | 1.0e300              | 1000                | 1.0e300
            """)
    void rateOfOneSwitch(String name, String previous, String now, long millis, @Nullable Double expected) {
        publish(previous, T0);
        Snapshot snapshot = publish(now, T0.plusMillis(millis));

        assertThat(rate(snapshot, "sw-1")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 0.0", "2000, 2.0", "333, 0.333", "5, 0.005", "50, 0.05", "500, 0.5", "1250000500, 1250000.5",
            "-1500, -1.5", "7, 0.007", "100010, 100.01"})
    void rateIsWrittenAsItsDecimalDigits(long thousandths, String text) {
        assertThat(CounterRates.decimal3(thousandths)).isEqualTo(text);
        assertThat(new java.math.BigDecimal(text)).isEqualByComparingTo(java.math.BigDecimal.valueOf(thousandths, 3));
    }

    @Test
    void firstSnapshotHasTheRateColumnWithoutValues() {
        Snapshot first = publish("100", T0);

        assertThat(first.metrics()).containsExactly("packet_errors", "packet_errors_per_second");
        assertThat(rate(first, "sw-1")).isNull();
        assertThat(new String(first.listMetricsJson()))
                .contains("\"sw-1\":{\"packet_errors\":100,\"packet_errors_per_second\":null}");
    }

    @Test
    void switchThatJustAppearedHasNoRateAndOthersKeepTheirRow() {
        store.publish(table(List.of("packet_errors"), List.of("sw-1", "sw-2"), "10", "20"), T0, T0, null);
        Snapshot now = store.publish(table(List.of("packet_errors"), List.of("sw-0", "sw-2", "sw-1"), "5", "40", "30"),
                T0.plusSeconds(10), T0.plusSeconds(10), null);

        assertThat(rate(now, "sw-0")).isNull();
        assertThat(rate(now, "sw-1")).isEqualTo(2.0);
        assertThat(rate(now, "sw-2")).isEqualTo(2.0);
    }

    @Test
    void carriedOverSwitchHasNoRateAndItsOlderValuesCountAfterwards() {
        store.publish(table(List.of("packet_errors"), List.of("sw-1", "sw-2"), "10", "100"), T0, T0, null);
        // sw-2's row is damaged at t0+10: carried over, no rate
        Table damaged = Table.of(List.of("packet_errors"), List.of("sw-1"), new long[] {20},
                new byte[] {CellKind.INTEGER}, 1, 0, List.of(new Table.Damaged("sw-2", 1)));
        Snapshot carried = store.publish(damaged, T0.plusSeconds(10), T0.plusSeconds(10), null);
        assertThat(carried.carriedOver()).containsKey("sw-2");
        assertThat(rate(carried, "sw-1")).isEqualTo(1.0);
        assertThat(rate(carried, "sw-2")).isNull();

        // back at t0+20: its previous value is the carried one, sampled at t0
        Snapshot back = store.publish(table(List.of("packet_errors"), List.of("sw-1", "sw-2"), "30", "160"),
                T0.plusSeconds(20), T0.plusSeconds(20), null);
        assertThat(rate(back, "sw-1")).isEqualTo(1.0);
        assertThat(rate(back, "sw-2")).isEqualTo(3.0);
    }

    @Test
    void ratesFollowTheGeneratorsColumnsInTheOrderOfTheCounters() {
        SnapshotStore rates = new SnapshotStore(STALE, new CounterProperties(List.of("tx_bytes", "packet_errors", "absent")));
        List<String> metrics = List.of("packet_errors", "latency_us", "tx_bytes");
        rates.publish(table(metrics, List.of("sw-1"), "1", "2.5", "1000"), T0, T0, null);
        Snapshot now = rates.publish(table(metrics, List.of("sw-1"), "3", "2.5", "5000"), T0.plusSeconds(2),
                T0.plusSeconds(2), null);

        assertThat(now.metrics()).containsExactly("packet_errors", "latency_us", "tx_bytes",
                "tx_bytes_per_second", "packet_errors_per_second");
        assertThat(now.generatorMetricCount()).isEqualTo(3);
        assertThat(new String(now.listMetricsJson())).endsWith("\"sw-1\":{\"packet_errors\":3,\"latency_us\":2.5,"
                + "\"tx_bytes\":5000,\"tx_bytes_per_second\":2000.0,\"packet_errors_per_second\":1.0}}}");
    }

    @Test
    void noCountersMeanNoDerivedMetrics() {
        SnapshotStore none = new SnapshotStore(STALE, CounterProperties.none());
        none.publish(table(List.of("packet_errors"), List.of("sw-1"), "1"), T0, T0, null);
        Snapshot now = none.publish(table(List.of("packet_errors"), List.of("sw-1"), "3"), T0.plusSeconds(1),
                T0.plusSeconds(1), null);

        assertThat(now.metrics()).containsExactly("packet_errors");
        assertThat(new String(now.listMetricsJson())).endsWith("\"switches\":{\"sw-1\":{\"packet_errors\":3}}}");
    }

    @Test
    void generatorColumnNamedLikeARateWinsOverTheDerivedOne() {
        List<String> metrics = List.of("packet_errors", "packet_errors_per_second");
        store.publish(table(metrics, List.of("sw-1"), "1", "7.5"), T0, T0, null);
        Snapshot now = store.publish(table(metrics, List.of("sw-1"), "9", "7.5"), T0.plusSeconds(1), T0.plusSeconds(1), null);

        assertThat(now.metrics()).containsExactly("packet_errors", "packet_errors_per_second");
        assertThat(rate(now, "sw-1")).isEqualTo(7.5);
    }

    @Test
    void counterThatLeavesThePayloadTakesItsRateWithIt() {
        store.publish(table(List.of("packet_errors"), List.of("sw-1"), "1"), T0, T0, null);
        Snapshot now = store.publish(table(List.of("latency_us"), List.of("sw-1"), "1.5"), T0.plusSeconds(1),
                T0.plusSeconds(1), null);
        assertThat(now.metrics()).containsExactly("latency_us");
        // and a counter that comes back has no previous value to count from
        Snapshot back = store.publish(table(List.of("packet_errors"), List.of("sw-1"), "5"), T0.plusSeconds(2),
                T0.plusSeconds(2), null);
        assertThat(rate(back, "sw-1")).isNull();
    }

    @Test
    void ratesOfManySwitchesAreWhatEachPairOfValuesGives() {
        List<String> ids = new ArrayList<>();
        String[] before = new String[500];
        String[] after = new String[500];
        for (int i = 0; i < 500; i++) {
            ids.add("sw-" + i);
            before[i] = Integer.toString(i * 7);
            after[i] = Integer.toString(i % 3 == 0 ? i : i * 7 + i * 4);
        }
        store.publish(table(List.of("packet_errors"), ids, before), T0, T0, null);
        Snapshot now = store.publish(table(List.of("packet_errors"), ids, after), T0.plusSeconds(4), T0.plusSeconds(4), null);
        for (int i = 0; i < 500; i++) {
            double expected = i % 3 == 0 ? (i == 0 ? 0 : i / 4.0) : i;
            assertThat(rate(now, "sw-" + i)).as("sw-%d", i).isEqualTo(Math.round(expected * 1000) / 1000.0);
        }
    }

    /** Rows of cells as the CSV would give them, row-major. */
    private static Table rows(List<String> metrics, List<String> ids, List<String[]> rows) {
        int width = metrics.size();
        long[] cells = new long[ids.size() * width];
        byte[] kinds = new byte[cells.length];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                String text = rows.get(r)[c];
                kinds[r * width + c] = kind(text);
                cells[r * width + c] = text.isEmpty() ? 0 : cell(text);
            }
        }
        return Table.of(metrics, ids, cells, kinds, 0, 0);
    }

    /**
     * Several counters per switch, in every combination a row can hold: all still, some moving, a
     * reset, a rate beyond whole thousandths, a counter with no previous column, a new switch, and
     * the switches in another order than before. Each rate reads back, and is written in the
     * ListMetrics body, as its own pair of values gives it.
     */
    @Test
    void ratesOfManySwitchesWithSeveralCountersAreWhatEachPairOfValuesGives() throws Exception {
        SnapshotStore four = new SnapshotStore(STALE,
                new CounterProperties(List.of("packet_errors", "dropped_packets", "link_down_count", "rx_bytes")));
        int switches = 300;
        List<String> beforeIds = new ArrayList<>();
        List<String[]> beforeRows = new ArrayList<>();
        for (int i = 0; i < switches; i++) {
            beforeIds.add("sw-" + i);
            beforeRows.add(new String[] {Integer.toString(i * 10), "1.5", "5", Integer.toString(i)});
        }
        four.publish(rows(List.of("packet_errors", "latency_us", "dropped_packets", "link_down_count"), beforeIds,
                beforeRows), T0, T0, null);

        List<String> afterIds = new ArrayList<>();
        List<String[]> afterRows = new ArrayList<>();
        afterIds.add("sw-new");
        afterRows.add(new String[] {"1", "2.5", "1", "1", "1"});
        for (int i = switches - 1; i >= 0; i--) { // the other way round
            afterIds.add("sw-" + i);
            afterRows.add(new String[] {Integer.toString(i % 4 == 0 ? i * 10 : i * 10 + i), "2.5",
                    i % 5 == 0 ? "2" : "5", i == 7 ? "1.0e300" : Integer.toString(i), Integer.toString(i * 1000)});
        }
        Snapshot now = four.publish(rows(List.of("packet_errors", "latency_us", "dropped_packets", "link_down_count",
                "rx_bytes"), afterIds, afterRows), T0.plusSeconds(2), T0.plusSeconds(2), null);

        assertThat(now.metrics()).containsExactly("packet_errors", "latency_us", "dropped_packets", "link_down_count",
                "rx_bytes", "packet_errors_per_second", "dropped_packets_per_second", "link_down_count_per_second",
                "rx_bytes_per_second");
        JsonNode body = JsonMapper.builder().build().readTree(Bodies.toArray(now.listMetricsBody())).get("switches");
        for (int i = -1; i < switches; i++) {
            String id = i < 0 ? "sw-new" : "sw-" + i;
            Double[] expected = i < 0 ? new Double[] {null, null, null, null}
                    : new Double[] {i % 4 == 0 ? 0.0 : i / 2.0, i % 5 == 0 ? 1.0 : 0.0, i == 7 ? 5.0e299 : 0.0, null};
            String[] names = {"packet_errors_per_second", "dropped_packets_per_second", "link_down_count_per_second",
                    "rx_bytes_per_second"};
            for (int k = 0; k < names.length; k++) {
                double value = now.numericValue(now.switchRow(id), now.metricColumn(names[k]));
                assertThat(Double.isNaN(value) ? null : value).as("%s %s", id, names[k]).isEqualTo(expected[k]);
                JsonNode written = body.get(id).get(names[k]);
                assertThat(written.isNull() ? null : written.asDouble()).as("%s %s written", id, names[k])
                        .isEqualTo(expected[k]);
            }
        }
    }

    /**
     * The usual case, taken the way the parser takes it: the next table lists the same switches in
     * the same rows (the very ID strings) and shares the previous table's index. Rows past the
     * compact storage's first size, one of them with a rate beyond whole thousandths stored before
     * the storage grew, all read back.
     */
    @Test
    void tableThatSharesThePreviousRowsGivesEachSwitchItsOwnRate() {
        int switches = 50;
        List<String> ids = new ArrayList<>();
        String[] zeros = new String[switches];
        for (int i = 0; i < switches; i++) {
            ids.add("sw-" + i);
            zeros[i] = "0";
        }
        Snapshot previous = store.publish(table(List.of("packet_errors"), ids, zeros), T0, T0, null);
        Table.Builder next = Table.builder(List.of("packet_errors"), switches, previous);
        for (int i = 0; i < switches; i++) {
            String value = i == 0 ? "1.0e300" : i < 40 ? Integer.toString(i) : "0";
            next.add(previous.switchId(i), new long[] {cell(value)}, new byte[] {kind(value)});
        }
        Table table = next.build(0, 0, List.of());
        assertThat(table.sameRowsAs(previous.table())).as("shares the previous rows").isTrue();

        Snapshot now = store.publish(table, T0.plusSeconds(2), T0.plusSeconds(2), null);

        assertThat(rate(now, "sw-0")).isEqualTo(5.0e299);
        for (int i = 1; i < switches; i++) {
            assertThat(rate(now, "sw-" + i)).as("sw-%d", i).isEqualTo(i < 40 ? i / 2.0 : 0.0);
        }
    }
    /**
     * The generator's corrupt fault serves one generation twice, damaged then intact, under two
     * ETags: the second payload has the same sampledAt as the first. Every rate stays what the first
     * one had (the switch whose row was damaged then gets its rate from the values it was carried
     * over with), in the values and in the ListMetrics body, instead of turning null for a period.
     */
    @Test
    void sameGenerationAcceptedAgainKeepsEveryRate() {
        SnapshotStore two = new SnapshotStore(STALE, new CounterProperties(List.of("packet_errors", "rx_bytes")));
        List<String> metrics = List.of("packet_errors", "rx_bytes");
        List<String> ids = List.of("sw-1", "sw-2", "sw-3");
        two.publish(rows(metrics, ids, List.of(new String[] {"10", "1000"}, new String[] {"100", "5"},
                new String[] {"7", "0"})), T0, T0, null);
        // t0+10, damaged: sw-2's row is skipped (carried over), sw-3's rx_bytes is no reading
        Table damaged = Table.of(metrics, List.of("sw-1", "sw-3"), new long[] {30, 3000, 7, 0},
                new byte[] {CellKind.INTEGER, CellKind.INTEGER, CellKind.INTEGER, CellKind.NONE}, 1, 1,
                List.of(new Table.Damaged("sw-2", 1)));
        Snapshot first = two.publish(damaged, T0.plusSeconds(10), T0.plusSeconds(10), "\"g-2-corrupt\"");
        assertThat(first.carriedOver()).containsKey("sw-2");

        // the same generation, intact
        Snapshot again = two.publish(rows(metrics, ids, List.of(new String[] {"30", "3000"},
                new String[] {"160", "5"}, new String[] {"7", "40"})), T0.plusSeconds(10), T0.plusSeconds(10),
                "\"g-2\"");

        assertThat(rates(first, "sw-1")).containsExactly(2.0, 200.0);
        assertThat(rates(again, "sw-1")).containsExactly(2.0, 200.0);
        assertThat(rates(again, "sw-2")).as("from its carried values, sampled at t0").containsExactly(6.0, 0.0);
        assertThat(rates(first, "sw-3")).containsExactly(0.0, null);
        assertThat(rates(again, "sw-3")).as("what it was: no previous interval to count from").containsExactly(0.0, null);
        assertThat(new String(again.listMetricsJson())).endsWith("\"switches\":{"
                + "\"sw-1\":{\"packet_errors\":30,\"rx_bytes\":3000,\"packet_errors_per_second\":2.0,\"rx_bytes_per_second\":200.0},"
                + "\"sw-2\":{\"packet_errors\":160,\"rx_bytes\":5,\"packet_errors_per_second\":6.0,\"rx_bytes_per_second\":0.0},"
                + "\"sw-3\":{\"packet_errors\":7,\"rx_bytes\":40,\"packet_errors_per_second\":0.0,\"rx_bytes_per_second\":null}}}");

        // and the next generation counts from the intact values
        Snapshot next = two.publish(rows(metrics, ids, List.of(new String[] {"50", "3000"},
                new String[] {"160", "5"}, new String[] {"7", "240"})), T0.plusSeconds(20), T0.plusSeconds(20), null);
        assertThat(rates(next, "sw-1")).containsExactly(2.0, 0.0);
        assertThat(rates(next, "sw-3")).containsExactly(0.0, 20.0);
    }

    /** The usual shape: the same switches in the same rows, served twice; a rate beyond whole thousandths too. */
    @Test
    void sameGenerationWithTheSameRowsKeepsEveryRate() {
        int switches = 40;
        List<String> ids = new ArrayList<>();
        String[] before = new String[switches];
        String[] after = new String[switches];
        for (int i = 0; i < switches; i++) {
            ids.add("sw-" + i);
            before[i] = "0";
            after[i] = i == 0 ? "1.0e300" : Integer.toString(i * 3);
        }
        store.publish(table(List.of("packet_errors"), ids, before), T0, T0, null);
        Snapshot first = store.publish(table(List.of("packet_errors"), ids, after), T0.plusSeconds(3),
                T0.plusSeconds(3), null);
        Snapshot again = store.publish(table(List.of("packet_errors"), ids, after), T0.plusSeconds(3),
                T0.plusSeconds(3), null);

        for (int i = 0; i < switches; i++) {
            assertThat(rate(again, "sw-" + i)).as("sw-%d", i).isEqualTo(i == 0 ? 1.0e300 / 3 : (double) i)
                    .isEqualTo(rate(first, "sw-" + i));
        }
        String key = "\"switches\":";
        String written = new String(again.listMetricsJson());
        String earlier = new String(first.listMetricsJson());
        assertThat(written.substring(written.indexOf(key))).isEqualTo(earlier.substring(earlier.indexOf(key)));
    }

    private static List<@Nullable Double> rates(Snapshot snapshot, String switchId) {
        List<@Nullable Double> rates = new ArrayList<>();
        int row = snapshot.switchRow(switchId);
        for (int column = snapshot.generatorMetricCount(); column < snapshot.metrics().size(); column++) {
            double rate = snapshot.numericValue(row, column);
            rates.add(Double.isNaN(rate) ? null : rate);
        }
        return rates;
    }
}
