package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;

/** What one successful exchange with the generator returned. */
sealed interface FetchResult {

    /** A {@code 2xx} with a body, and the source's {@code Content-Type} when it sent one. */
    record Fetched(byte[] body, @Nullable String etag, @Nullable String sampledAt, @Nullable String contentType)
            implements FetchResult {

        Fetched(byte[] body, @Nullable String etag, @Nullable String sampledAt) {
            this(body, etag, sampledAt, null);
        }
    }

    /** A {@code 304}: the generator's data has not changed since the current snapshot. */
    record NotModified() implements FetchResult {
    }
}
