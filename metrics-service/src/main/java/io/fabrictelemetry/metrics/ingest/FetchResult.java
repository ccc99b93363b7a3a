package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;

/** What one successful exchange with the generator returned. */
sealed interface FetchResult {

    /** A {@code 2xx} with a body. */
    record Fetched(byte[] body, @Nullable String etag, @Nullable String sampledAt) implements FetchResult {
    }

    /** A {@code 304}: the generator's data has not changed since the current snapshot. */
    record NotModified() implements FetchResult {
    }
}
