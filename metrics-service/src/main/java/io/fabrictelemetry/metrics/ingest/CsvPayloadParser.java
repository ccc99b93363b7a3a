package io.fabrictelemetry.metrics.ingest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Turns the generator's CSV into a {@link Table}: a pure function of the bytes, no Spring, no I/O.
 *
 * <p>Rules: the payload as a whole is rejected (an exception) when it is empty, when its header's
 * first column is not {@code switch_id}, when a metric column is blank or repeated, or when no data
 * row is usable. A row with the wrong number of cells, or a blank or repeated {@code switch_id}, is
 * skipped and counted; the other rows apply. A row skipped for its cell count whose switch has no
 * other row is reported as damaged, so that the switch's previous values can be carried over. An empty cell is no reading; a cell that is not a
 * finite number is no reading too, and counted. Nothing ever becomes {@code 0}.
 */
final class CsvPayloadParser {

    static final String SWITCH_ID = "switch_id";

    private CsvPayloadParser() {
    }

    static Table parse(byte[] body) {
        if (body.length == 0) {
            throw new PayloadRejectedException("empty body");
        }
        CsvReader<CsvRecord> reader = CsvReader.builder()
                .detectBomHeader(true)
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .ofCsvRecord(new ByteArrayInputStream(body), StandardCharsets.UTF_8);
        try (reader) {
            var records = reader.iterator();
            if (!records.hasNext()) {
                throw new PayloadRejectedException("empty body");
            }
            List<String> metrics = header(records.next());
            int width = metrics.size() + 1;

            List<String> ids = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            LongBuffer cells = new LongBuffer(metrics.size() * 64);
            ByteBuffer kinds = new ByteBuffer(metrics.size() * 64);
            int rejectedRows = 0;
            int rejectedValues = 0;
            List<Table.Damaged> damaged = new ArrayList<>();
            while (records.hasNext()) {
                CsvRecord row = records.next();
                String id = row.getField(0).strip();
                if (id.isEmpty() || seen.contains(id)) {
                    rejectedRows++;
                    continue;
                }
                if (row.getFieldCount() != width) {
                    rejectedRows++;
                    damaged.add(new Table.Damaged(id, ids.size()));
                    continue;
                }
                seen.add(id);
                ids.add(id);
                for (int c = 1; c < width; c++) {
                    String text = row.getField(c).strip();
                    if (text.isEmpty()) {
                        cells.add(0);
                        kinds.add(Table.NULL);
                    } else if (NumberSyntax.isIntegerLiteral(text) && fitsInLong(text)) {
                        cells.add(Long.parseLong(text));
                        kinds.add(Table.INTEGER);
                    } else if (NumberSyntax.isDecimalLiteral(text) && Double.isFinite(Double.parseDouble(text))) {
                        cells.add(Double.doubleToRawLongBits(Double.parseDouble(text)));
                        kinds.add(Table.DECIMAL);
                    } else {
                        cells.add(0);
                        kinds.add(Table.NULL);
                        rejectedValues++;
                    }
                }
            }
            if (ids.isEmpty()) {
                throw new PayloadRejectedException(rejectedRows == 0
                        ? "header only, no data rows"
                        : "no usable data rows (" + rejectedRows + " rejected)");
            }
            // a damaged row whose switch also has an intact row is a mere repeat, not a candidate to carry
            Set<String> damagedIds = new HashSet<>();
            damaged.removeIf(d -> seen.contains(d.switchId()) || !damagedIds.add(d.switchId()));
            return new Table(metrics, ids.toArray(String[]::new), cells.toArray(), kinds.toArray(),
                    rejectedRows, rejectedValues, List.copyOf(damaged));
        } catch (CsvParseException e) {
            throw new PayloadRejectedException("malformed CSV: " + e.getMessage());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new PayloadRejectedException("unreadable CSV: " + e.getMessage());
        }
    }

    private static List<String> header(CsvRecord header) {
        String first = header.getField(0).strip();
        if (!SWITCH_ID.equals(first)) {
            throw new PayloadRejectedException("header must start with '" + SWITCH_ID + "', found '"
                    + abbreviate(first) + "'");
        }
        List<String> metrics = new ArrayList<>(header.getFieldCount() - 1);
        Set<String> names = new HashSet<>();
        for (int c = 1; c < header.getFieldCount(); c++) {
            String name = header.getField(c).strip();
            if (name.isEmpty()) {
                throw new PayloadRejectedException("header column " + (c + 1) + " has no metric name");
            }
            if (!names.add(name)) {
                throw new PayloadRejectedException("header names metric '" + abbreviate(name) + "' twice");
            }
            metrics.add(name);
        }
        if (metrics.isEmpty()) {
            throw new PayloadRejectedException("header has no metric columns");
        }
        return List.copyOf(metrics);
    }

    /** Integer literals beyond the range of long are kept as decimals rather than rejected. */
    private static boolean fitsInLong(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** For messages: bounded, and printable whatever the payload held. */
    private static String abbreviate(String text) {
        String shown = text.length() <= 64 ? text : text.substring(0, 64) + "…";
        return shown.replaceAll("[\\p{Cntrl}\\uFFFD]", "?");
    }

    /** A growable long array: avoids boxing 800,000 cells of a 100,000-switch payload. */
    private static final class LongBuffer {
        private long[] values;
        private int size;

        LongBuffer(int capacity) {
            values = new long[Math.max(16, capacity)];
        }

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class ByteBuffer {
        private byte[] values;
        private int size;

        ByteBuffer(int capacity) {
            values = new byte[Math.max(16, capacity)];
        }

        void add(byte value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        byte[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
