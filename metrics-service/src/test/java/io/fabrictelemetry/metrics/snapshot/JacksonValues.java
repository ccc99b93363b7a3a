package io.fabrictelemetry.metrics.snapshot;

import io.fabrictelemetry.metrics.body.Decimals;
import tools.jackson.core.JsonGenerator;

/**
 * The reference for how a value reads in JSON: each cell and rate written through a Jackson
 * generator, as the API wrote them before it wrote bytes itself ({@link Snapshot#writeValue} and
 * {@link CounterRates#write(io.fabrictelemetry.metrics.body.JsonOut, double)} must write the same text).
 */
final class JacksonValues {

    private JacksonValues() {
    }

    /** One cell as a JSON value: an integer, a decimal, or {@code null} for no reading. */
    static void writeValue(Snapshot snapshot, JsonGenerator json, int row, int column) {
        char[] scratch = new char[Decimals.MAX_LENGTH];
        int metrics = snapshot.generatorMetricCount();
        if (column >= metrics) {
            writeRate(json, snapshot.rates().value(column - metrics, row), scratch);
            return;
        }
        switch (snapshot.rawKind(row, column)) {
            case CellKind.INTEGER -> json.writeNumber(snapshot.rawCell(row, column));
            case CellKind.DECIMAL -> {
                double value = Double.longBitsToDouble(snapshot.rawCell(row, column));
                long thousandths = Decimals.shortThousandths(value);
                if (thousandths == Decimals.NOT_SHORT) {
                    json.writeNumber(value);
                } else {
                    json.writeNumber(scratch, 0, Decimals.thousandths(thousandths, scratch));
                }
            }
            default -> json.writeNull();
        }
    }

    /** A rate as JSON: {@code null} for none, else its 3 decimals as digits. */
    static void writeRate(JsonGenerator json, double rate, char[] scratch) {
        if (Double.isNaN(rate)) {
            json.writeNull();
        } else if (Math.abs(rate) < 9.0e12) {
            json.writeNumber(scratch, 0, Decimals.thousandths(Math.round(rate * 1000), scratch));
        } else {
            json.writeNumber(rate);
        }
    }
}
