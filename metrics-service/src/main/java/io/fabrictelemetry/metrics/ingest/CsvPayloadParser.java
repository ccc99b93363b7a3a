package io.fabrictelemetry.metrics.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordType;
import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.snapshot.CellKind;
import io.fabrictelemetry.metrics.snapshot.EncoderThreads;
import io.fabrictelemetry.metrics.snapshot.PortRows;
import io.fabrictelemetry.metrics.snapshot.Snapshot;
import io.fabrictelemetry.metrics.snapshot.Table;

/**
 * Turns the generator's CSV into a {@link Table}: a pure function of the bytes, no Spring, no I/O.
 * FastCSV does the RFC 4180 parsing (quotes, line ends, BOM); its callback interface hands each
 * field over as characters, so numbers go straight into primitive columns without a String per cell.
 *
 * <p>Rules: the payload as a whole is rejected (an exception) when it is empty, when its header's
 * first column is not {@code switch_id}, when a metric column is blank, repeated, contains a
 * comma or is longer than {@link QueryParameters#MAX_PARAMETER_LENGTH} characters, or when no data
 * row is usable. A row with the wrong number of cells, a blank or repeated {@code switch_id}, a
 * {@code switch_id} that contains a comma or is longer than that, or a last row without its line break
 * (a body cut short), is skipped and counted; the other rows apply. A row skipped for its cell count
 * whose switch has no other row is reported as damaged, so that the switch's previous values can be
 * carried over. An empty cell is no reading; a cell that is not a finite number is no reading too,
 * and counted. Nothing ever becomes {@code 0}.
 *
 * <p>Names with a comma: the CSV contract allows them (quoted), but every filter of the API splits
 * its names on commas (ListMetrics {@code switch=a,b} and {@code metric=}, the stream's, the
 * dashboard's), so such a switch or metric could be listed and never addressed. They are refused
 * here, where the other names are judged: a metric name is part of the header, so like a blank or
 * repeated one it rejects the payload; a switch ID is part of its row, so like a blank or repeated
 * one it skips the row, counted as rejected and as unaddressable. Such a switch is never carried
 * over: it was never in a snapshot. Names too long to ask for (every endpoint refuses a name over
 * {@link QueryParameters#MAX_PARAMETER_LENGTH} characters, the same constant) are refused alike.
 */
final class CsvPayloadParser {

    static final String SWITCH_ID = "switch_id";

    /**
     * Columns of UFM Telemetry's port rows that identify or label a port, never metrics (the set its
     * streaming plugin treats as port constants).
     */
    static final Set<String> PORT_IDENTITY = Set.of("timestamp", "source_id", "tag", "node_guid", "Node_GUID",
            "port_guid", "port_num", "Port_Number", "node_description", "sys_image_guid", "aport", "port_label",
            "m_label", "status_message", "Device_ID", "device_id", "switch_serial_number", "switch_part_number",
            "mvcr_sensor_name", "mtmp_sensor_name");

    // the role of a port-row column that is not a metric
    private static final int IGNORED = -1;
    private static final int GUID = -2;
    private static final int PORT = -3;
    private static final int TIME = -4;
    private static final int DESCRIPTION = -5;

    private CsvPayloadParser() {
    }

    static Table parse(byte[] body) {
        return parse(body, null);
    }

    /**
     * The table of a payload that follows {@code previous}: a switch ID equal to the one in the same
     * row of the previous snapshot (the usual case: the generator lists the same switches in the
     * same order) is that very {@code String}, so a steady fabric costs no new object per switch,
     * and nothing per switch for a young collection to copy. The table is the same either way.
     */
    static Table parse(byte[] body, @Nullable Snapshot previous) {
        if (body.length == 0) {
            throw new PayloadRejectedException("empty body");
        }
        if (previous != null) {
            previous.prepareSuccessor(); // the next body's buffer is allocated while this one is parsed
        }
        Table table = parseInTwo(body, previous);
        return table != null ? table : parseInOnePiece(body, previous);
    }

    /** The end of the last line break: what follows it is a row cut short (the whole body when it has none). */
    private static int complete(byte[] body) {
        // The contract ends every row with a line break. A body cut without Content-Length (chunked
        // or close-delimited) can end inside the last cell, which would still parse as a number:
        // what follows the last line break is a damaged row, never a value.
        int complete = body.length;
        while (complete > 0 && body[complete - 1] != '\n' && body[complete - 1] != '\r') {
            complete--;
        }
        return complete == 0 ? body.length : complete; // no line at all: at most a header, which the rules reject
    }

    /** The payload read by this thread alone, from start to end. */
    static Table parseInOnePiece(byte[] body, @Nullable Snapshot previous) {
        if (body.length == 0) {
            throw new PayloadRejectedException("empty body");
        }
        int complete = complete(body);
        TableBuilder builder = new TableBuilder(estimateRows(body, complete), complete, previous);
        read(builder, body, 0, complete, true);
        if (complete < body.length) {
            builder.unterminatedRow(new String(body, complete, body.length - complete, StandardCharsets.UTF_8));
        }
        return builder.table();
    }

    private static void read(TableBuilder builder, byte[] body, int offset, int length, boolean start) {
        try (CsvReader<Void> reader = CsvReader.builder()
                .detectBomHeader(start)
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .build(builder, new ByteArrayInputStream(body, offset, length), StandardCharsets.UTF_8)) {
            reader.forEach(record -> { });
        } catch (CsvParseException e) {
            if (e.getCause() instanceof PayloadRejectedException rejected) {
                throw rejected; // our own verdict on the header, wrapped by the reader
            }
            throw new PayloadRejectedException("malformed CSV: " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new PayloadRejectedException("unreadable CSV: " + e.getMessage());
        }
    }

    /** From this many bytes on, a payload of port rows is read in two halves at once. */
    static final int PARALLEL_BYTES = 4 << 20;

    /**
     * Where the second half of a large payload of port rows starts: the first line after the middle;
     * -1 for a small payload, one whose first line does not name {@code node_guid} (or
     * {@code Node_GUID}), or one with no line break past the middle.
     */
    static int halfway(byte[] body, int complete) {
        if (complete < PARALLEL_BYTES) {
            return -1;
        }
        int headerEnd = indexOf(body, (byte) '\n', 0, Math.min(complete, 1 << 16));
        if (headerEnd < 0) {
            return -1;
        }
        String header = new String(body, 0, headerEnd, StandardCharsets.ISO_8859_1);
        if (!header.contains("node_guid") && !header.contains("Node_GUID")) {
            return -1;
        }
        int newline = indexOf(body, (byte) '\n', complete / 2, complete);
        return newline < 0 || newline + 1 >= complete ? -1 : newline + 1;
    }

    private static int indexOf(byte[] body, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** True when {@code body[from, to)} holds a double quote; eight bytes at a time (no false positive). */
    static boolean containsQuote(byte[] body, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(body, i) ^ 0x2222222222222222L; // a quote's byte becomes 0
            if (((x - 0x0101010101010101L) & ~x & 0x8080808080808080L) != 0) {
                return true;
            }
        }
        for (; i < to; i++) {
            if (body[i] == '"') {
                return true;
            }
        }
        return false;
    }

    /**
     * A payload of port rows read by two threads: this one reads the header and the rows up to
     * {@code split}; an encoder thread meanwhile reads the rest into a {@link PortRowLog} (the
     * numbers parsed there), which this one then applies row by row as if it had read them itself.
     * Without a double quote anywhere, every line break ends a row, so each half holds whole rows.
     * Null when the halves cannot stand for the whole (a quote, a header of switch rows, any
     * failure): the caller reads the payload in one piece, with its verdict and messages.
     */
    static @Nullable Table parseInTwo(byte[] body, @Nullable Snapshot previous) {
        int complete = complete(body);
        int split = halfway(body, complete);
        if (split <= 0) {
            return null;
        }
        TableBuilder first = new TableBuilder(estimateRows(body, complete), complete, previous);
        CompletableFuture<@Nullable TableBuilder> header = new CompletableFuture<>();
        first.headerRead = header;
        CompletableFuture<@Nullable PortRowLog> second = CompletableFuture.supplyAsync(() -> {
            if (containsQuote(body, split, complete)) {
                return null;
            }
            TableBuilder read = header.join();
            if (read == null) {
                return null;
            }
            PortRowLog log = new PortRowLog(read.rowCells.length, estimateRows(body, complete) / 2 + 16);
            read(new TableBuilder(read, log), body, split, complete - split, false);
            return log;
        }, EncoderThreads.EXECUTOR);
        PortRowLog log;
        try {
            read(first, body, 0, split, true);
            header.complete(null); // no port header: the other half has nothing to read
            if (first.roles == null || containsQuote(body, 0, split)) {
                return null;
            }
            log = second.join();
        } catch (RuntimeException e) {
            return null;
        } finally {
            header.complete(null);
        }
        if (log == null) {
            return null;
        }
        first.replay(log);
        if (complete < body.length) {
            first.unterminatedRow(new String(body, complete, body.length - complete, StandardCharsets.UTF_8));
        }
        return first.table();
    }

    /** Receives the fields of each record from FastCSV and fills the columns row by row. */
    private static final class TableBuilder extends AbstractBaseCsvCallbackHandler<Void> {

        private @Nullable List<String> metrics; // null until the header is read
        private int width;
        private final List<String> header = new ArrayList<>();

        private final int expectedRows;
        private final int length;
        private final @Nullable Snapshot previous;
        private Table.@Nullable Builder rows;
        private final Map<String, Integer> damagedAt = new LinkedHashMap<>(); // in order of appearance
        private int rejectedRows;
        private int unaddressableRows;
        private int rejectedValues;

        // port rows (UFM Telemetry's layout): the role of each header column, a metric's column or one
        // of IGNORED, GUID, PORT, TIME, DESCRIPTION
        private int @Nullable [] roles;
        private PortRows.@Nullable Builder ports;
        private int guidColumn;
        private int portColumn;
        private int intactPorts;
        // the port row being read
        private int rowSwitch; // -1 until a well-formed GUID is read
        private int rowPort; // -1 until a well-formed port number is read
        private long rowMicros;
        private @Nullable String pendingDescription; // a description read before the row's GUID
        private int lastSwitch = -1;

        // the record being read
        private String id = "";
        private boolean idQuoted; // only a quoted field can hold a comma
        private long[] rowCells = new long[0];
        private byte[] rowKinds = new byte[0];
        private int rowRejectedValues;

        // reading two halves at once: told when the header is read (first half), or where the rows go (second)
        @Nullable CompletableFuture<@Nullable TableBuilder> headerRead;
        private final @Nullable PortRowLog log;
        private @Nullable String rowDescription; // second half: the row's description

        TableBuilder(int expectedRows, int length, @Nullable Snapshot previous) {
            this.expectedRows = expectedRows;
            this.length = length;
            this.previous = previous;
            this.log = null;
        }

        /** A reader of the second half of a payload of port rows whose header {@code first} has read. */
        TableBuilder(TableBuilder first, PortRowLog log) {
            this.expectedRows = 0;
            this.length = 0;
            this.previous = null;
            this.log = log;
            this.metrics = first.metrics;
            this.width = first.width;
            this.roles = first.roles;
            this.guidColumn = first.guidColumn;
            this.portColumn = first.portColumn;
            this.rowCells = new long[first.rowCells.length];
            this.rowKinds = new byte[first.rowKinds.length];
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            id = "";
            idQuoted = false;
            rowRejectedValues = 0;
            rowSwitch = -1;
            rowPort = -1;
            rowMicros = PortRows.NO_TIME;
            pendingDescription = null;
            rowDescription = null;
        }

        @Override
        protected void handleField(int index, char[] buf, int offset, int length, boolean quoted) {
            int start = offset;
            int end = offset + length;
            while (start < end && Character.isWhitespace(buf[start])) {
                start++;
            }
            while (end > start && Character.isWhitespace(buf[end - 1])) {
                end--;
            }
            if (metrics == null) {
                header.add(new String(buf, start, end - start));
            } else if (roles != null) {
                portField(index, buf, start, end - start);
            } else if (index == 0) {
                id = switchId(buf, start, end - start);
                idQuoted = quoted;
            } else if (index < width) {
                readCell(index - 1, buf, start, end - start);
            }
        }

        private void portField(int index, char[] buf, int off, int len) {
            if (index >= roles.length) {
                return;
            }
            int role = roles[index];
            if (role >= 0) {
                readCell(role, buf, off, len);
            } else if (log != null) {
                loggedField(role, buf, off, len);
            } else if (role == GUID) {
                if (wellFormedGuid(buf, off, len)) {
                    rowSwitch = ports.switchOf(buf, off, len, lastSwitch);
                    lastSwitch = rowSwitch;
                    if (pendingDescription != null && ports.needsDescription(rowSwitch)) {
                        char[] chars = pendingDescription.toCharArray();
                        ports.describe(rowSwitch, chars, 0, chars.length);
                    }
                }
            } else if (role == PORT) {
                rowPort = portNumber(buf, off, len);
            } else if (role == TIME) {
                rowMicros = micros(buf, off, len);
            } else if (role == DESCRIPTION) {
                if (rowSwitch >= 0) {
                    if (ports.needsDescription(rowSwitch)) {
                        ports.describe(rowSwitch, buf, off, len);
                    }
                } else if (len > 0) {
                    pendingDescription = new String(buf, off, len); // before the GUID: an unusual layout
                }
            }
        }

        /** A second-half row's identity cells, kept for {@link #replay}. */
        private void loggedField(int role, char[] buf, int off, int len) {
            if (role == GUID) {
                if (wellFormedGuid(buf, off, len)) {
                    rowSwitch = log.switchOf(buf, off, len);
                }
            } else if (role == PORT) {
                rowPort = portNumber(buf, off, len);
            } else if (role == TIME) {
                rowMicros = micros(buf, off, len);
            } else if (role == DESCRIPTION && len > 0) {
                rowDescription = log.description(buf, off, len);
            }
        }

        /**
         * Applies the rows of the second half, in order, as {@link #portField} and
         * {@link #acceptPortRow} would have applied them reading on: the same switches created in
         * the same order, the same descriptions, placeholders, repeats and counts.
         */
        void replay(PortRowLog rows) {
            int[] switchOf = new int[rows.switches];
            java.util.Arrays.fill(switchOf, -1);
            int width = rows.width;
            for (int r = 0; r < rows.rows; r++) {
                int s = -1;
                int number = rows.switchOf[r];
                if (number >= 0) {
                    s = switchOf[number];
                    if (s < 0) {
                        s = ports.switchOf(rows.guids[number], lastSwitch);
                        switchOf[number] = s;
                    }
                    lastSwitch = s;
                    String description = rows.descriptions[r];
                    if (description != null && ports.needsDescription(s)) {
                        ports.describe(s, description);
                    }
                }
                int port = rows.ports[r];
                boolean identified = s >= 0 && port >= 0;
                if (!rows.whole[r]) {
                    rejectedRows++;
                    if (identified) {
                        ports.addDamaged(s, port);
                    }
                } else if (!identified || !ports.add(s, port, rows.micros[r], rows.cells, rows.kinds, r * width)) {
                    rejectedRows++;
                } else {
                    intactPorts++;
                    rejectedValues += rows.rejectedValues[r];
                }
            }
        }

        /** The ID as a String: the previous snapshot's, when it had the same ID in this row. */
        private String switchId(char[] buf, int off, int len) {
            int row = rows.rows();
            if (previous != null && row < previous.switchCount()) {
                String known = previous.switchId(row);
                if (known.length() == len && sameChars(known, buf, off)) {
                    return known;
                }
            }
            return new String(buf, off, len);
        }

        private static boolean sameChars(String known, char[] buf, int off) {
            for (int i = 0; i < known.length(); i++) {
                if (known.charAt(i) != buf[off + i]) {
                    return false;
                }
            }
            return true;
        }

        private void readCell(int column, char[] buf, int off, int len) {
            if (len == 0) {
                rowCells[column] = 0;
                rowKinds[column] = CellKind.NONE;
                return;
            }
            byte kind = NumberSyntax.classify(buf, off, len);
            if (kind == CellKind.INTEGER && NumberSyntax.fitsInLong(len, buf[off] == '-')) {
                rowCells[column] = NumberSyntax.parseLong(buf, off, len);
                rowKinds[column] = CellKind.INTEGER;
                return;
            }
            if (kind != CellKind.NONE) {
                // includes integer literals too long for a long: kept as decimals, not rejected
                double value = NumberSyntax.parseDecimal(buf, off, len);
                if (Double.isFinite(value)) {
                    rowCells[column] = Double.doubleToRawLongBits(value);
                    rowKinds[column] = CellKind.DECIMAL;
                    return;
                }
            }
            rowCells[column] = 0;
            rowKinds[column] = CellKind.NONE;
            rowRejectedValues++;
        }

        @Override
        protected @Nullable Void buildRecord() {
            if (getRecordType() != RecordType.DATA) {
                return null;
            }
            if (metrics == null) {
                acceptHeader();
            } else {
                acceptRow();
            }
            return null;
        }

        private void acceptHeader() {
            String first = header.get(0);
            if (!SWITCH_ID.equals(first)) {
                int guid = portColumn(header, "node_guid", "Node_GUID");
                int port = portColumn(header, "port_num", "Port_Number");
                if (guid >= 0 && port >= 0) {
                    acceptPortHeader(guid, port);
                    return;
                }
                throw new PayloadRejectedException("header must start with '" + SWITCH_ID + "' (switch rows) or hold"
                        + " 'node_guid' and 'port_num' (port rows), found '" + abbreviate(first) + "'");
            }
            Set<String> names = new HashSet<>();
            for (int c = 1; c < header.size(); c++) {
                String name = header.get(c);
                if (name.isEmpty()) {
                    throw new PayloadRejectedException("header column " + (c + 1) + " has no metric name");
                }
                if (!names.add(name)) {
                    throw new PayloadRejectedException("header names metric '" + abbreviate(name) + "' twice");
                }
                if (name.indexOf(',') >= 0) {
                    throw new PayloadRejectedException("header names metric '" + abbreviate(name)
                            + "', which contains a comma: no filter could address it");
                }
                if (!addressableLength(name)) {
                    throw new PayloadRejectedException("header names metric '" + abbreviate(name) + "', which is "
                            + name.length() + " characters long: no request could address it (at most "
                            + QueryParameters.MAX_PARAMETER_LENGTH + ")");
                }
            }
            if (header.size() < 2) {
                throw new PayloadRejectedException("header has no metric columns");
            }
            metrics = List.copyOf(header.subList(1, header.size()));
            width = header.size();
            rowCells = new long[width - 1];
            rowKinds = new byte[width - 1];
            // bounded by what a body of this length can hold (every cell a character and a comma,
            // with room to spare), so that a body of blank lines reserves no more than a real one
            rows = Table.builder(metrics, (int) Math.min(expectedRows, Math.max(16, length / (3L * width))), previous);
        }

        /**
         * Port rows: identity and label columns have their roles, every other column is a metric,
         * judged as a switch-row header's metric columns are.
         */
        private void acceptPortHeader(int guid, int port) {
            roles = new int[header.size()];
            List<String> names = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < header.size(); c++) {
                String name = header.get(c);
                if (c == guid) {
                    roles[c] = GUID;
                } else if (c == port) {
                    roles[c] = PORT;
                } else if (name.equals("timestamp")) {
                    roles[c] = TIME;
                } else if (name.equals("node_description")) {
                    roles[c] = DESCRIPTION;
                } else if (PORT_IDENTITY.contains(name)) {
                    roles[c] = IGNORED;
                } else if (name.isEmpty() && c == header.size() - 1) {
                    roles[c] = IGNORED; // a trailing comma after the last column
                } else {
                    if (name.isEmpty()) {
                        throw new PayloadRejectedException("header column " + (c + 1) + " has no metric name");
                    }
                    if (!seen.add(name)) {
                        throw new PayloadRejectedException("header names metric '" + abbreviate(name) + "' twice");
                    }
                    if (name.indexOf(',') >= 0) {
                        throw new PayloadRejectedException("header names metric '" + abbreviate(name)
                                + "', which contains a comma: no filter could address it");
                    }
                    if (!addressableLength(name)) {
                        throw new PayloadRejectedException("header names metric '" + abbreviate(name) + "', which is "
                                + name.length() + " characters long: no request could address it (at most "
                                + QueryParameters.MAX_PARAMETER_LENGTH + ")");
                    }
                    roles[c] = names.size();
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                throw new PayloadRejectedException("header has no metric columns");
            }
            guidColumn = guid;
            portColumn = port;
            metrics = List.copyOf(names);
            width = header.size();
            rowCells = new long[names.size()];
            rowKinds = new byte[names.size()];
            ports = new PortRows.Builder(metrics,
                    (int) Math.min(expectedRows, Math.max(16, length / (3L * width))), previous);
            if (headerRead != null) {
                headerRead.complete(this); // the other half can be read from now on
            }
        }

        private void acceptPortRow() {
            if (log != null) {
                log.add(rowSwitch, rowPort, rowMicros, getFieldCount() == width, rowRejectedValues, rowDescription,
                        rowCells, rowKinds);
                return;
            }
            boolean identified = rowSwitch >= 0 && rowPort >= 0;
            if (getFieldCount() != width) {
                rejectedRows++;
                if (identified) {
                    ports.addDamaged(rowSwitch, rowPort);
                }
                return;
            }
            if (!identified || !ports.add(rowSwitch, rowPort, rowMicros, rowCells, rowKinds)) {
                rejectedRows++; // no port named, or a port repeated
                return;
            }
            intactPorts++;
            rejectedValues += rowRejectedValues;
        }

        private void acceptRow() {
            if (roles != null) {
                acceptPortRow();
                return;
            }
            if (id.isEmpty() || rows.contains(id)) {
                rejectedRows++;
                return;
            }
            if (idQuoted && id.indexOf(',') >= 0 || !addressableLength(id)) {
                rejectedRows++;
                unaddressableRows++; // and never damaged: never in a snapshot, nothing to carry over
                return;
            }
            if (getFieldCount() != width) {
                rejectedRows++;
                damagedAt.putIfAbsent(id, rows.rows());
                return;
            }
            rows.add(id, rowCells, rowKinds);
            rejectedValues += rowRejectedValues;
        }

        /**
         * The text after the last line break: a row cut short, rejected like a row of the wrong shape
         * (its switch, when readable, may be carried over). Only whitespace there is no row at all.
         */
        void unterminatedRow(String tail) {
            if (tail.isBlank() || metrics == null) {
                return;
            }
            if (roles != null) {
                unterminatedPortRow(tail);
                return;
            }
            if (rows == null) {
                return;
            }
            rejectedRows++;
            int comma = tail.indexOf(',');
            String switchId = (comma < 0 ? tail : tail.substring(0, comma)).strip();
            if (switchId.length() >= 2 && switchId.startsWith("\"") && switchId.endsWith("\"")) {
                switchId = switchId.substring(1, switchId.length() - 1).replace("\"\"", "\"");
            }
            // a cut inside the switch_id itself names no known switch, and is carried as nothing
            if (comma >= 0 && !switchId.isEmpty() && !switchId.contains("\"") && addressableLength(switchId)) {
                damagedAt.putIfAbsent(switchId, rows.rows());
            }
        }

        /** A port row cut short: damaged, its port carried over when both identity cells came whole. */
        private void unterminatedPortRow(String tail) {
            rejectedRows++;
            if (tail.indexOf('"') >= 0) {
                return; // quoted cells: too unsure to name a port
            }
            String[] cells = tail.split(",", -1);
            // a cell followed by a comma came whole; the last one may have been cut
            if (guidColumn >= cells.length - 1 || portColumn >= cells.length - 1) {
                return;
            }
            char[] guid = cells[guidColumn].strip().toCharArray();
            char[] port = cells[portColumn].strip().toCharArray();
            int number = portNumber(port, 0, port.length);
            if (wellFormedGuid(guid, 0, guid.length) && number >= 0) {
                ports.addDamaged(ports.switchOf(guid, 0, guid.length, -1), number);
            }
        }

        Table table() {
            if (roles != null) {
                if (intactPorts == 0) {
                    throw new PayloadRejectedException(rejectedRows == 0
                            ? "header only, no data rows"
                            : "no usable data rows (" + rejectedRows + " rejected)");
                }
                return Table.ofPorts(ports.build(rejectedRows, unaddressableRows, rejectedValues));
            }
            if (metrics == null || rows == null) {
                throw new PayloadRejectedException("empty body");
            }
            if (rows.rows() == 0) {
                throw new PayloadRejectedException(rejectedRows == 0
                        ? "header only, no data rows"
                        : "no usable data rows (" + rejectedRows + " rejected)");
            }
            // a damaged row whose switch also has an intact row is a mere repeat, not a candidate to carry
            List<Table.Damaged> damaged = new ArrayList<>();
            damagedAt.forEach((switchId, position) -> {
                if (!rows.contains(switchId)) {
                    damaged.add(new Table.Damaged(switchId, position));
                }
            });
            return rows.build(rejectedRows, unaddressableRows, rejectedValues, damaged);
        }
    }

    /** The first of these columns the header holds, or -1. */
    private static int portColumn(List<String> header, String name, String alias) {
        int at = header.indexOf(name);
        return at >= 0 ? at : header.indexOf(alias);
    }

    /** A node GUID as UFM writes it: {@code 0x} and 1 to 16 hex digits ({@code 0x} optional). */
    static boolean wellFormedGuid(char[] buf, int off, int len) {
        int start = off;
        if (len >= 2 && buf[off] == '0' && (buf[off + 1] == 'x' || buf[off + 1] == 'X')) {
            start += 2;
        }
        int digits = off + len - start;
        if (digits < 1 || digits > 16) {
            return false;
        }
        for (int i = start; i < off + len; i++) {
            char c = buf[i];
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** A port number: 1 to 9 decimal digits; -1 when the cell is anything else. */
    static int portNumber(char[] buf, int off, int len) {
        if (len < 1 || len > 9) {
            return -1;
        }
        int value = 0;
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A {@code timestamp} in µs since the epoch: 1 to 18 decimal digits; {@link PortRows#NO_TIME} otherwise. */
    static long micros(char[] buf, int off, int len) {
        if (len < 1 || len > 18) {
            return PortRows.NO_TIME;
        }
        long value = 0;
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c < '0' || c > '9') {
                return PortRows.NO_TIME;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * How many rows to make room for: the line breaks of the first 64 KiB, scaled to the whole body,
     * plus a sixteenth. A generator's rows are about as long as each other, so the table's arrays
     * are filled nearly to the end (neither regrown nor copied to size, tens of MB at 100,000
     * switches); a payload whose rows differ gets a regrowth or a trimming copy, never a wrong table.
     */
    static int estimateRows(byte[] body, int length) {
        int sample = Math.min(length, 1 << 16);
        int lines = 0;
        for (int i = 0; i < sample; i++) {
            if (body[i] == '\n') {
                lines++;
            }
        }
        if (lines == 0) { // lines ended by a lone CR, or a single line
            for (int i = 0; i < sample; i++) {
                if (body[i] == '\r') {
                    lines++;
                }
            }
        }
        long rows = sample == 0 ? 0 : (long) lines * length / sample;
        return (int) Math.min(Integer.MAX_VALUE / 2, rows + rows / 16 + 16);
    }

    /**
     * True when a request could name {@code name}: every endpoint refuses a (decoded) name longer
     * than {@link QueryParameters#MAX_PARAMETER_LENGTH} characters, counted as {@link String#length()}
     * as the query side counts them.
     */
    static boolean addressableLength(String name) {
        return name.length() <= QueryParameters.MAX_PARAMETER_LENGTH;
    }

    /** For messages: bounded, and printable whatever the payload held. */
    private static String abbreviate(String text) {
        String shown = text.length() <= 64 ? text : text.substring(0, 64) + "…";
        return shown.replaceAll("[\\p{Cntrl}\\uFFFD]", "?");
    }
}
