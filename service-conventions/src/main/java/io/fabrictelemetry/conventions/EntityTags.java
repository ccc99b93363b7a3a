package io.fabrictelemetry.conventions;

import java.util.List;
import java.util.UUID;

/**
 * Strong entity tags as both services make them, and {@code If-None-Match} as both evaluate it.
 *
 * <ul>
 * <li>A published state (a generation, a snapshot) is tagged {@code "<boot>-<number>"}: an identifier
 *     drawn once per start ({@link #bootScoped()}) and the state's number, so that a restart, which
 *     counts from 1 again, never repeats an earlier run's tag.</li>
 * <li>Another representation of the same state (gzip, a selection, a corrupted copy, a history) is
 *     the state's tag with a suffix inside the quotes ({@link #withSuffix}).</li>
 * <li>{@code If-None-Match} matches with the weak comparison, and {@code *} matches anything
 *     (RFC 9110 §13.1.2; {@link #matches}).</li>
 * </ul>
 */
public final class EntityTags {

    private final String prefix;

    private EntityTags(String bootId) {
        this.prefix = "\"" + bootId + "-";
    }

    /** The tags of one run of the service: a new boot identifier (8 hexadecimal digits) per call. */
    public static EntityTags bootScoped() {
        return new EntityTags(UUID.randomUUID().toString().substring(0, 8));
    }

    /** The strong tag of state {@code number} in this run: {@code "<boot>-<number>"}. */
    public String tag(long number) {
        return prefix + number + "\"";
    }

    /** {@code etag} (strong, quoted) of another representation: {@code "<etag>-gzip"} for suffix {@code -gzip}. */
    public static String withSuffix(String etag, String suffix) {
        return withoutClosingQuote(etag, suffix.length() + 1).append(suffix).append('"').toString();
    }

    /**
     * {@code etag} without its closing quote, for a suffix written in pieces; the caller appends the
     * suffix and the closing quote ({@link #withSuffix} in one call).
     */
    public static StringBuilder withoutClosingQuote(String etag, int suffixLength) {
        return new StringBuilder(etag.length() + suffixLength).append(etag, 0, etag.length() - 1);
    }

    /** True when one of the {@code If-None-Match} header values lists {@code etag}, or {@code *}. */
    public static boolean matches(List<String> ifNoneMatch, String etag) {
        String opaque = strip(etag);
        for (String header : ifNoneMatch) {
            for (String candidate : header.split(",")) {
                String tag = candidate.trim();
                if (tag.equals("*") || strip(tag).equals(opaque)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String strip(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
