package io.fabrictelemetry.metrics.query;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerRequest;

import io.fabrictelemetry.conventions.EntityTags;
import io.fabrictelemetry.metrics.api.ProblemException;
import io.fabrictelemetry.metrics.api.QueryParameters;
import io.fabrictelemetry.metrics.body.JsonOut;
import io.fabrictelemetry.metrics.snapshot.ListMetricsEncoder;
import io.fabrictelemetry.metrics.snapshot.PortView;
import io.fabrictelemetry.metrics.snapshot.Snapshot;

/**
 * The {@code switch=} / {@code metric=} selection of ListMetrics, for any handler that answers
 * "ListMetrics, filtered" (ListMetrics itself, the snapshot stream). Each parameter is optional, may
 * be repeated and may hold a comma-separated list; the names are a union. A filtered answer has the
 * shape of the whole one and holds the named switches and metrics in the generator's order,
 * whatever order the query used.
 *
 * <p>Use in two steps: {@link #from(ServerRequest)} checks the query's syntax (empty or over-long
 * names: {@code 400}), then {@link #select(Snapshot)} checks the names against a snapshot (unknown
 * switch or metric: {@code 404}) and gives a {@link Selection} with its body and strong ETag.
 * Both throw {@link ProblemException}, which {@link io.fabrictelemetry.metrics.api.ProblemExceptionHandler} renders.
 */
public final class ListMetricsFilter {

    static final String SWITCH = "switch";
    static final String METRIC = "metric";
    static final String PORTS = "ports";
    /** Unfiltered: the whole snapshot. */
    public static final ListMetricsFilter NONE = new ListMetricsFilter(null, null, true);

    private static final int MAX_UNKNOWN_NAMED = 5;
    /** Selections up to this many switches and metrics have ETags that list them; larger ones, a digest. */
    private static final int LITERAL_ROWS = 4;
    private static final int LITERAL_COLUMNS = 16;

    // null: that dimension is not filtered
    private final @Nullable Set<String> switches;
    private final @Nullable Set<String> metrics;
    // false: ports=false, the body leaves out the ports of port rows (a client that shows switches only)
    private final boolean ports;

    private ListMetricsFilter(@Nullable Set<String> switches, @Nullable Set<String> metrics, boolean ports) {
        this.switches = switches;
        this.metrics = metrics;
        this.ports = ports;
    }

    /** The filter of a request's query; {@code 400} problems for bad percent-encoding or empty names. */
    public static ListMetricsFilter from(ServerRequest request) {
        return parse(QueryParameters.queryParams(request));
    }

    /** The filter of a decoded query; {@code 400} problems for empty or over-long names, or {@code ports} not a boolean. */
    public static ListMetricsFilter parse(MultiValueMap<String, String> query) {
        Set<String> switches = names(query, SWITCH);
        Set<String> metrics = names(query, METRIC);
        boolean ports = ports(query);
        return switches == null && metrics == null && ports ? NONE : new ListMetricsFilter(switches, metrics, ports);
    }

    /** {@code ports=true} (the default) or {@code ports=false}, as often as given but always the same. */
    private static boolean ports(MultiValueMap<String, String> query) {
        List<String> values = query.get(PORTS);
        if (values == null) {
            return true;
        }
        Boolean ports = null;
        for (String value : values) {
            boolean given = "true".equals(value);
            if ((!given && !"false".equals(value)) || (ports != null && ports != given)) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "invalid-parameter",
                        "query parameter 'ports' must be 'true' or 'false' (whether the body lists the ports of "
                                + "port rows), once, but was '" + abbreviate(String.join("', '",
                                        values.stream().map(v -> v == null ? "" : v).toList())) + "'");
            }
            ports = given;
        }
        return ports == null || ports;
    }

    private static @Nullable Set<String> names(MultiValueMap<String, String> query, String parameter) {
        List<String> values = query.get(parameter);
        if (values == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String value : values) {
            // split(",", -1) keeps empty names: "a,,b" and "a," are errors, not silently "a,b"
            // a parameter without '=' ("?switch") has a null value: an empty name like "switch="
            String text = value == null ? "" : value;
            for (String name : text.split(",", -1)) {
                if (name.isBlank()) {
                    throw new ProblemException(HttpStatus.BAD_REQUEST, "missing-parameter",
                            "query parameter '" + parameter + "' holds an empty name (in '" + abbreviate(text)
                                    + "'); give one or more names, separated by commas");
                }
                if (name.length() > QueryParameters.MAX_PARAMETER_LENGTH) {
                    throw new ProblemException(HttpStatus.BAD_REQUEST, "parameter-too-long",
                            "each name in query parameter '" + parameter + "' must be at most "
                                    + QueryParameters.MAX_PARAMETER_LENGTH + " characters, but one was "
                                    + name.length());
                }
                names.add(name);
            }
        }
        return names;
    }

    private static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }

    /**
     * True when the query names neither switches nor metrics and keeps the ports: the answer is the
     * whole snapshot. ({@code ports=false} alone on switch rows is the whole snapshot too: {@link
     * Selection#isUnfiltered()} says so once the snapshot is known.)
     */
    public boolean isUnfiltered() {
        return switches == null && metrics == null && ports;
    }

    /**
     * The switches and metrics this filter names in a snapshot; {@code 404} problems when the
     * snapshot does not have one of them (the unknown-metric problem lists the valid metrics).
     */
    public Selection select(Snapshot snapshot) {
        int @Nullable [] rows = switches == null ? null : indexes(snapshot, switches, true);
        int @Nullable [] columns = metrics == null ? null : indexes(snapshot, metrics, false);
        return new Selection(snapshot, rows, columns, ports || snapshot.ports() == null);
    }

    /**
     * The rows of {@code names} (switches) or their columns (metrics) in {@code snapshot}, in the
     * generator's order; the {@code 404} problem naming every one the snapshot does not have.
     */
    private static int[] indexes(Snapshot snapshot, Set<String> names, boolean ofSwitches) {
        int[] indexes = new int[names.size()];
        int i = 0;
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            int index = ofSwitches ? snapshot.switchRow(name) : snapshot.metricColumn(name);
            if (index < 0) {
                unknown.add(name);
            }
            indexes[i++] = index;
        }
        if (!unknown.isEmpty()) {
            throw ofSwitches
                    ? new ProblemException(HttpStatus.NOT_FOUND, "unknown-switch",
                            named("switch", "switches", unknown) + " not in the current snapshot")
                    : new ProblemException(HttpStatus.NOT_FOUND, "unknown-metric",
                            named("metric", "metrics", unknown) + " not in the current snapshot",
                            Map.of("validMetrics", snapshot.metrics()), HttpHeaders.EMPTY);
        }
        Arrays.sort(indexes);
        // on port rows two names can find one switch (its GUID in two cases, its description): once
        int distinct = 0;
        for (int index : indexes) {
            if (distinct == 0 || indexes[distinct - 1] != index) {
                indexes[distinct++] = index;
            }
        }
        return distinct == indexes.length ? indexes : Arrays.copyOf(indexes, distinct);
    }

    /**
     * Two filters are equal when they name the same switches and metrics, in whatever order or
     * spelling of the query: they select the same representation of every snapshot (the stream
     * shares one encoding between them).
     */
    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ListMetricsFilter that && Objects.equals(switches, that.switches)
                && Objects.equals(metrics, that.metrics) && ports == that.ports;
    }

    @Override
    public int hashCode() {
        return Objects.hash(switches, metrics, ports);
    }

    /** "switch 'a' is", "switches 'a', 'b' are": the offending names, a few at most. */
    private static String named(String singular, String plural, List<String> unknown) {
        StringBuilder text = new StringBuilder(unknown.size() > 1 ? plural : singular).append(' ');
        for (int i = 0; i < Math.min(unknown.size(), MAX_UNKNOWN_NAMED); i++) {
            text.append(i == 0 ? "" : ", ").append('\'').append(unknown.get(i)).append('\'');
        }
        if (unknown.size() > MAX_UNKNOWN_NAMED) {
            text.append(" and ").append(unknown.size() - MAX_UNKNOWN_NAMED).append(" more");
        }
        return text.append(unknown.size() > 1 ? " are" : " is").toString();
    }

    /**
     * What a filter names in one snapshot: rows and columns in the generator's order. An immutable
     * value; its body is encoded on each call of {@link #body()} (none is kept).
     */
    public static final class Selection {

        private final Snapshot snapshot;
        private final int @Nullable [] rows;    // null: every switch
        private final int @Nullable [] columns; // null: every metric
        // false: the snapshot has ports and the body leaves them out
        private final boolean ports;

        private Selection(Snapshot snapshot, int @Nullable [] rows, int @Nullable [] columns, boolean ports) {
            this.snapshot = snapshot;
            this.rows = rows;
            this.columns = columns;
            this.ports = ports;
        }

        public Snapshot snapshot() {
            return snapshot;
        }

        public boolean isUnfiltered() {
            return rows == null && columns == null && ports;
        }

        /** How many values the body holds, the ports' too: a measure of the cost of encoding it. */
        public long cells() {
            long switchCount = rows == null ? snapshot.switchCount() : rows.length;
            long metricCount = columns == null ? snapshot.metrics().size() : columns.length;
            return (switchCount + portCount()) * metricCount;
        }

        /** How many ports the body lists: those of the selected switches (none on switch rows, nor with ports=false). */
        long portCount() {
            PortView view = snapshot.ports();
            if (view == null || !ports) {
                return 0;
            }
            if (rows == null) {
                return view.portCount();
            }
            long count = 0;
            for (int row : rows) {
                count += view.endPort(row) - view.firstPort(row);
            }
            return count;
        }

        /**
         * About how many bytes the body takes, known without encoding it: a measure of the cost of
         * encoding and compressing it, which a few cells with long names can make large. IDs and
         * names by the bytes they are written as ({@code JsonOut.stringBytes}), ten bytes a value (most are shorter), the
         * punctuation; a pass over the named switches and metrics only (every switch's IDs are
         * counted once per snapshot).
         */
        public long estimatedBytes() {
            long idBytes;
            int switchCount;
            if (rows == null) {
                idBytes = snapshot.switchIdBytes();
                switchCount = snapshot.switchCount();
            } else {
                idBytes = 0;
                for (int row : rows) {
                    idBytes += JsonOut.stringBytes(snapshot.switchId(row));
                }
                switchCount = rows.length;
            }
            List<String> metrics = snapshot.metrics();
            long perRow = 5; // the ID's quotes and colon, the braces, a comma
            int columnCount = columns == null ? metrics.size() : columns.length;
            for (int i = 0; i < columnCount; i++) {
                perRow += JsonOut.stringBytes(metrics.get(columns == null ? i : columns[i])) + 4 + 10;
            }
            // carried-over switches are listed again, each with its sampledAt
            long carried = snapshot.carriedOver().isEmpty() ? 0 : idBytes + 32L * switchCount;
            return 256 + perRow + idBytes + switchCount * perRow + carried + portBytes(idBytes, switchCount, perRow);
        }

        /**
         * What {@code ports} and {@code descriptions} add on port rows: each switch's GUID again in
         * both, each port as a switch's object with its number (ten bytes at most) for a name, each
         * description by its bytes ({@code ports=false}: the descriptions alone, {@link #portCount()} 0). A pass over the selected switches (all of them: a body that lists
         * every port anyway).
         */
        private long portBytes(long idBytes, int switchCount, long perRow) {
            if (snapshot.ports() == null) {
                return 0;
            }
            long descriptionBytes = 0;
            for (int i = 0; i < switchCount; i++) {
                String description = snapshot.description(rows == null ? i : rows[i]);
                if (description != null) {
                    descriptionBytes += JsonOut.stringBytes(description) + 4;
                }
            }
            long listed = ports ? 16 + idBytes + 5L * switchCount + portCount() * (perRow + 10) : 0;
            return descriptionBytes == 0 ? listed : listed + 20 + idBytes + descriptionBytes;
        }

        /**
         * The strong ETag of this representation: the snapshot's when unfiltered; otherwise the
         * snapshot's with the selected rows and columns (up to a few) or a digest of the selected
         * switches and metrics (more), each in the generator's order, so
         * the same selection on the same snapshot always has the same ETag however the query wrote
         * it, and another selection or snapshot another ETag.
         */
        public String etag() {
            String tag = selectionEtag();
            // ports=false on port rows: another representation of the same selection
            return ports || isUnfiltered() ? tag : EntityTags.withSuffix(tag, "-np");
        }

        private String selectionEtag() {
            String etag = snapshot.etag();
            if (isUnfiltered()) {
                return etag;
            }
            if ((rows == null || rows.length <= LITERAL_ROWS) && (columns == null || columns.length <= LITERAL_COLUMNS)) {
                // a small selection is named outright by its rows and columns, which within one
                // snapshot stand for the names: exact, and cheaper than a digest
                StringBuilder tag = EntityTags.withoutClosingQuote(etag, 32).append("-r");
                indexes(tag, rows).append("-c");
                return indexes(tag, columns).append('"').toString();
            }
            MessageDigest digest = sha256();
            if (rows == null) {
                digest.update((byte) '*');
            } else {
                for (int row : rows) {
                    digest.update(snapshot.switchId(row).getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) '\n');
                }
            }
            digest.update((byte) 0);
            if (columns == null) {
                digest.update((byte) '*');
            } else {
                for (int column : columns) {
                    digest.update(snapshot.metrics().get(column).getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) '\n');
                }
            }
            String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest.digest(), 18));
            return EntityTags.withSuffix(etag, "-f" + hash);
        }

        /**
         * The ListMetrics JSON of this selection, on one line: the snapshot's pre-encoded bytes when
         * unfiltered, else encoded now (a cost of the order of {@link #cells()}).
         */
        public ByteBuffer body() {
            if (isUnfiltered()) {
                return snapshot.listMetricsBody();
            }
            int metricCount = columns == null ? snapshot.metrics().size() : columns.length;
            int switchCount = rows == null ? snapshot.switchCount() : rows.length;
            long listed = switchCount + portCount();
            int expected = (int) Math.min(Integer.MAX_VALUE - 8, 160 + metricCount * 24L + listed * (20L + metricCount * 28L));
            ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
            ListMetricsEncoder.write(new JsonOut(out, expected), snapshot, rows, columns, ports);
            return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
        }

        /** Sorted indexes in base 36, dot-separated; {@code *} for all. */
        private static StringBuilder indexes(StringBuilder tag, int @Nullable [] indexes) {
            if (indexes == null) {
                return tag.append('*');
            }
            for (int i = 0; i < indexes.length; i++) {
                tag.append(i == 0 ? "" : ".").append(Integer.toString(indexes[i], 36));
            }
            return tag;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }
}
