package io.fabrictelemetry.metrics.ingest;

/**
 * The strict number grammar of a CSV cell, JSON's own: {@code -?digits(.digits)?([eE][+-]?digits)?}.
 * {@link Double#parseDouble} alone would also accept {@code NaN}, {@code Infinity}, hex floats and
 * type suffixes such as {@code 1d}, none of which is a reading.
 */
final class NumberSyntax {

    private NumberSyntax() {
    }

    static boolean isIntegerLiteral(String text) {
        int i = text.startsWith("-") ? 1 : 0;
        return digitsEnd(text, i) == text.length() && text.length() > i;
    }

    static boolean isDecimalLiteral(String text) {
        int i = text.startsWith("-") ? 1 : 0;
        int end = digitsEnd(text, i);
        if (end == i) {
            return false;
        }
        i = end;
        if (i < text.length() && text.charAt(i) == '.') {
            end = digitsEnd(text, i + 1);
            if (end == i + 1) {
                return false;
            }
            i = end;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            end = digitsEnd(text, i);
            if (end == i) {
                return false;
            }
            i = end;
        }
        return i == text.length();
    }

    private static int digitsEnd(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
