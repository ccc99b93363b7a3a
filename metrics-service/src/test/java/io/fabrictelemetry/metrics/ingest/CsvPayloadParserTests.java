package io.fabrictelemetry.metrics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.SnapshotStore;
import io.fabrictelemetry.metrics.snapshot.StaleProperties;
import io.fabrictelemetry.metrics.snapshot.Table;

class CsvPayloadParserTests {

    private static Table parse(String csv) {
        return CsvPayloadParser.parse(csv.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRejected(String csv, String reason) {
        assertThatExceptionOfType(PayloadRejectedException.class).isThrownBy(() -> parse(csv))
                .withMessageContaining(reason);
    }

    /** The cell of a table as the API would see it: a Long, a Double or null. */
    private static Object cell(Table table, int row, int column) {
        return switch (table.kind(row, column)) {
            case CellKind.INTEGER -> table.cell(row, column);
            case CellKind.DECIMAL -> Double.longBitsToDouble(table.cell(row, column));
            default -> null;
        };
    }

    @Test
    void readsMetricsAndSwitchesInTheGeneratorsOrder() {
        Table table = parse("switch_id,b,a\r\nsw-2,1,2.5\r\nsw-1,3,4.25\r\n");
        assertThat(table.metrics()).containsExactly("b", "a");
        assertThat(table.switchIds()).containsExactly("sw-2", "sw-1");
        assertThat(cell(table, 0, 0)).isEqualTo(1L);
        assertThat(cell(table, 0, 1)).isEqualTo(2.5);
        assertThat(cell(table, 1, 1)).isEqualTo(4.25);
        assertThat(table.rejectedRows()).isZero();
        assertThat(table.rejectedValues()).isZero();
    }

    @Test
    void emptyBodyFailsThePoll() {
        assertRejected("", "empty body");
    }

    @Test
    void blankLinesOnlyFailThePoll() {
        assertRejected("\r\n\r\n", "empty body");
    }

    @Test
    void headerWhoseFirstColumnIsNotSwitchIdFailsThePoll() {
        assertRejected("id,latency_us\r\nsw-1,1\r\n", "header must start with 'switch_id'");
    }

    @Test
    void htmlPageFailsThePoll() {
        assertRejected("<html><body>Bad Gateway</body></html>", "header must start with 'switch_id'");
    }

    @Test
    void headerWithoutDataRowsFailsThePoll() {
        assertRejected("switch_id,latency_us\r\n", "header only");
    }

    @Test
    void headerWithoutMetricColumnsFailsThePoll() {
        assertRejected("switch_id\r\nsw-1\r\n", "no metric columns");
    }

    /** Filters split on commas: a metric named with one could be listed and never asked for. */
    @Test
    void metricColumnWhoseNameContainsACommaFailsThePollLikeABlankOrRepeatedName() {
        assertRejected("switch_id,a,\"b,c\"\r\nsw-1,1,2\r\n", "header names metric 'b,c', which contains a comma");
    }

    /**
     * Filters split on commas: a switch named with one could be listed and never asked for. Its row
     * is skipped and counted, as unaddressable too, and is never a candidate to carry over, even
     * with the wrong number of cells.
     */
    @Test
    void rowWhoseSwitchIdContainsACommaIsSkippedAndCountedAsUnaddressable() {
        Table table = parse("switch_id,a,b\r\nsw-1,1,2\r\n\"sw,2\",3,4\r\n\"sw,3\",5\r\n\"sw;4\",6,7\r\nsw-5,8\r\n");
        assertThat(table.switchIds()).containsExactly("sw-1", "sw;4");
        assertThat(table.rejectedRows()).isEqualTo(3);
        assertThat(table.unaddressableRows()).isEqualTo(2);
        assertThat(table.damaged()).containsExactly(new Table.Damaged("sw-5", 2));
    }

    /**
     * Every endpoint refuses a query name over {@link QueryParameters#MAX_PARAMETER_LENGTH} characters
     * (decoded, as {@code String.length()} counts them): a metric named longer could be listed and
     * never asked for. One at the limit, of characters outside ASCII, is kept.
     */
    @Test
    void metricColumnWhoseNameIsLongerThanAQueryNameMayBeFailsThePoll() {
        String atLimit = "é".repeat(QueryParameters.MAX_PARAMETER_LENGTH);
        assertThat(parse("switch_id,a," + atLimit + "\r\nsw-1,1,2\r\n").metrics()).containsExactly("a", atLimit);

        String tooLong = "m".repeat(QueryParameters.MAX_PARAMETER_LENGTH + 1);
        assertThatExceptionOfType(PayloadRejectedException.class)
                .isThrownBy(() -> parse("switch_id,a," + tooLong + "\r\nsw-1,1,2\r\n"))
                .withMessage("header names metric '" + "m".repeat(64) + "…', which is 257 characters long: "
                        + "no request could address it (at most 256)");
    }

    /**
     * A switch ID longer than a query name may be could be listed and never asked for: its row is
     * skipped and counted, as unaddressable too, and is never a candidate to carry over, even
     * with the wrong number of cells or cut short. One at the limit is kept.
     */
    @Test
    void rowWhoseSwitchIdIsLongerThanAQueryNameMayBeIsSkippedAndCountedAsUnaddressable() {
        String atLimit = "é".repeat(QueryParameters.MAX_PARAMETER_LENGTH);
        String tooLong = "s".repeat(QueryParameters.MAX_PARAMETER_LENGTH + 1);
        Table table = parse("switch_id,a,b\r\nsw-1,1,2\r\n" + tooLong + ",3,4\r\n\"" + tooLong + "x\",5\r\n"
                + atLimit + ",6,7\r\n" + tooLong + "y,8");
        assertThat(table.switchIds()).containsExactly("sw-1", atLimit);
        assertThat(table.rejectedRows()).isEqualTo(3);
        assertThat(table.unaddressableRows()).isEqualTo(2);
        assertThat(table.damaged()).isEmpty();
    }

    @Test
    void repeatedMetricColumnFailsThePoll() {
        assertRejected("switch_id,a,a\r\nsw-1,1,2\r\n", "names metric 'a' twice");
    }

    @Test
    void payloadWhoseEveryRowIsRejectedFailsThePoll() {
        assertRejected("switch_id,a,b\r\nsw-1,1\r\nsw-2,1,2,3\r\n", "no usable data rows (2 rejected)");
    }

    @Test
    void rowWithTooFewCellsIsSkippedAndCountedWhileOthersApply() {
        Table table = parse("switch_id,a,b\r\nsw-1,1\r\nsw-2,3,4\r\n");
        assertThat(table.switchIds()).containsExactly("sw-2");
        assertThat(table.rejectedRows()).isEqualTo(1);
    }

    @Test
    void rowSkippedForItsShapeIsReportedAsDamagedWithItsPlaceInTheOrder() {
        Table table = parse("switch_id,a,b\r\nsw-1,1,2\r\nsw-2,3\r\nsw-3,5,6\r\nsw-4,7,8,9\r\n");
        assertThat(table.switchIds()).containsExactly("sw-1", "sw-3");
        assertThat(table.damaged()).containsExactly(new Table.Damaged("sw-2", 1), new Table.Damaged("sw-4", 2));
    }

    @Test
    void damagedRowOfASwitchThatAlsoHasAnIntactRowIsNotACandidateToCarry() {
        Table table = parse("switch_id,a\r\nsw-1,1,2\r\nsw-1,3\r\nsw-2,4\r\nsw-2,5,6\r\n");
        assertThat(table.switchIds()).containsExactly("sw-1", "sw-2");
        assertThat(table.damaged()).isEmpty();
        assertThat(table.rejectedRows()).isEqualTo(2);
    }

    @Test
    void rowWithTooManyCellsIsSkippedAndCounted() {
        Table table = parse("switch_id,a\r\nsw-1,1,2\r\nsw-2,3\r\n");
        assertThat(table.switchIds()).containsExactly("sw-2");
        assertThat(table.rejectedRows()).isEqualTo(1);
    }

    @Test
    void repeatedSwitchIdKeepsTheFirstRowAndCountsTheRepeat() {
        Table table = parse("switch_id,a\r\nsw-1,1\r\nsw-1,2\r\nsw-2,3\r\n");
        assertThat(table.switchIds()).containsExactly("sw-1", "sw-2");
        assertThat(cell(table, 0, 0)).isEqualTo(1L);
        assertThat(table.rejectedRows()).isEqualTo(1);
    }

    @Test
    void blankSwitchIdIsSkippedAndCounted() {
        Table table = parse("switch_id,a\r\n,1\r\nsw-2,3\r\n");
        assertThat(table.switchIds()).containsExactly("sw-2");
        assertThat(table.rejectedRows()).isEqualTo(1);
    }

    @Test
    void emptyCellIsNoReadingNotZeroAndNotCounted() {
        Table table = parse("switch_id,a,b\r\nsw-1,,2\r\n");
        assertThat(cell(table, 0, 0)).isNull();
        assertThat(table.rejectedValues()).isZero();
    }

    @Test
    void cellsThatAreNotFiniteNumbersBecomeNoReadingAndAreCounted() {
        Table table = parse("switch_id,a,b,c,d,e,f,g\r\nsw-1,abc,NaN,Infinity,-Infinity,0x10,1d,1e999\r\n");
        for (int column = 0; column < 7; column++) {
            assertThat(cell(table, 0, column)).as("column %d", column).isNull();
        }
        assertThat(table.rejectedValues()).isEqualTo(7);
    }

    @Test
    void integerLiteralsStayIntegersAndOtherNumbersAreDecimals() {
        Table table = parse("switch_id,a,b,c,d,e,f\r\nsw-1,42,-7,42.0,1.5e3,2E-2,99999999999999999999\r\n");
        assertThat(cell(table, 0, 0)).isEqualTo(42L);
        assertThat(cell(table, 0, 1)).isEqualTo(-7L);
        assertThat(cell(table, 0, 2)).isEqualTo(42.0);
        assertThat(cell(table, 0, 3)).isEqualTo(1500.0);
        assertThat(cell(table, 0, 4)).isEqualTo(0.02);
        assertThat(cell(table, 0, 5)).isEqualTo(1e20);
        assertThat(table.rejectedValues()).isZero();
    }

    @Test
    void utf8ByteOrderMarkBeforeTheHeaderIsIgnored() {
        Table table = parse("\uFEFFswitch_id,a\r\nsw-1,1\r\n");
        assertThat(table.metrics()).containsExactly("a");
    }

    @Test
    void lfAndCrlfLineEndsBothParse() {
        assertThat(parse("switch_id,a\nsw-1,1\nsw-2,2\n").switchIds()).containsExactly("sw-1", "sw-2");
        assertThat(parse("switch_id,a\r\nsw-1,1\r\nsw-2,2\r\n").switchIds()).containsExactly("sw-1", "sw-2");
    }

    @Test
    void lastRowWithoutItsLineBreakIsADamagedRowNeverAValue() {
        // a body cut inside the last cell ("456" arrived as "45") still has every cell
        Table table = parse("switch_id,a,b\r\nsw-1,1,2\r\nsw-2,3,45");
        assertThat(table.switchIds()).containsExactly("sw-1");
        assertThat(table.rejectedRows()).isEqualTo(1);
        assertThat(table.damaged()).containsExactly(new Table.Damaged("sw-2", 1));
    }

    @Test
    void bodyCutInsideASwitchIdNamesNoSwitchAndABodyCutInItsHeaderIsRejected() {
        Table table = parse("switch_id,a\r\nsw-1,1\r\nsw");
        assertThat(table.switchIds()).containsExactly("sw-1");
        assertThat(table.damaged()).isEmpty();
        assertThat(table.rejectedRows()).isEqualTo(1);
        assertRejected("switch_id,a\r\nsw-1", "no usable data rows");
        assertRejected("switch_id,a", "header only");
    }

    @Test
    void whitespaceAfterTheLastLineBreakIsNoRow() {
        Table table = parse("switch_id,a\r\nsw-1,1\r\n  ");
        assertThat(table.switchIds()).containsExactly("sw-1");
        assertThat(table.rejectedRows()).isZero();
    }

    @Test
    void quotedFieldsAreUnquoted() {
        Table table = parse("\"switch_id\",\"a;b\"\r\n\"sw \"\"1\"\"\",\"3\"\r\n");
        assertThat(table.metrics()).containsExactly("a;b");
        assertThat(table.switchIds()).containsExactly("sw \"1\"");
        assertThat(cell(table, 0, 0)).isEqualTo(3L);
    }

    @Test
    void everyRowIsKeptWhenRowsGrowLongerAfterTheFirst64KiB() {
        // the table is sized from the line breaks of the first 64 KiB: here far too small
        StringBuilder csv = new StringBuilder("switch_id,a,b\n");
        int rows = 0;
        while (csv.length() < 70_000) {
            csv.append("s").append(rows++).append(",1,2\n");
        }
        for (int i = 0; i < 20_000; i++) {
            csv.append("long-switch-name-").append(rows++).append(",").append(rows).append(".25,").append("7".repeat(15)).append("\n");
        }
        Table table = parse(csv.toString());

        assertThat(table.switchCount()).isEqualTo(rows);
        assertThat(table.switchId(rows - 1)).isEqualTo("long-switch-name-" + (rows - 1));
        assertThat(cell(table, rows - 1, 0)).isEqualTo(rows + 0.25);
        assertThat(cell(table, rows - 1, 1)).isEqualTo(777_777_777_777_777L);
        assertThat(table.row("s0")).isZero();
        assertThat(table.row("long-switch-name-" + (rows - 1))).isEqualTo(rows - 1);
    }

    @Test
    void everyRowIsKeptWhenRowsGrowShorterAfterTheFirst64KiB() {
        // sized from long rows, filled with short ones: the table holds what was read, no more
        StringBuilder csv = new StringBuilder("switch_id,a\n");
        int rows = 0;
        while (csv.length() < 70_000) {
            csv.append("long-switch-name-").append(rows++).append(",").append("1".repeat(40)).append("\n");
        }
        for (int i = 0; i < 1_000; i++) {
            csv.append(rows++).append(",\n");
        }
        Table table = parse(csv.toString());

        assertThat(table.switchCount()).isEqualTo(rows);
        assertThat(table.switchIds()).hasSize(rows);
        assertThat(cell(table, rows - 1, 0)).isNull();
        assertThat(table.row(String.valueOf(rows - 1))).isEqualTo(rows - 1);
    }

    @Test
    void switchIdsOfThePreviousSnapshotInTheSameRowAreReusedAndTheTableIsTheSame() {
        Snapshot previous = new SnapshotStore(new StaleProperties(Duration.ofSeconds(30)))
                .publish(parse("switch_id,a\nsw-1,1\nsw-2,2\nsw-3,3\n"), Instant.EPOCH, Instant.EPOCH, null);
        String csv = "switch_id,a\nsw-1,4\nsw-9,5\nsw-2,6\nsw-4,7\n";

        Table table = CsvPayloadParser.parse(csv.getBytes(StandardCharsets.UTF_8), previous);

        assertThat(table.switchIds()).containsExactly("sw-1", "sw-9", "sw-2", "sw-4")
                .isEqualTo(parse(csv).switchIds());
        assertThat(table.switchId(0)).isSameAs(previous.switchId(0));
        assertThat(table.switchId(2)).isNotSameAs(previous.switchId(1)); // moved: an equal String, not a lookup
        assertThat(cell(table, 3, 0)).isEqualTo(7L);
        assertThat(table.row("sw-2")).isEqualTo(2);
        assertThat(table.row("sw-3")).isEqualTo(-1);
    }
}
