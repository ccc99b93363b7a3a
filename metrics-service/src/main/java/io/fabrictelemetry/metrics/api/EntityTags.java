package io.fabrictelemetry.metrics.api;

import java.util.List;

/** {@code If-None-Match} evaluation (RFC 9110 §13.1.2): weak comparison, {@code *} matches anything. */
final class EntityTags {

    private EntityTags() {
    }

    static boolean matches(List<String> ifNoneMatch, String etag) {
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
