package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;

/** What one successful exchange with the generator returned. */
sealed interface FetchResult {

    /**
     * A {@code 2xx} with a body, the source's {@code Content-Type} when it sent one, and its status code
     * (the poll's trace says it).
     */
    record Fetched(byte[] body, @Nullable String etag, @Nullable String sampledAt, @Nullable String contentType,
            int status) implements FetchResult {

        Fetched(byte[] body, @Nullable String etag, @Nullable String sampledAt, @Nullable String contentType) {
            this(body, etag, sampledAt, contentType, 200);
        }

        Fetched(byte[] body, @Nullable String etag, @Nullable String sampledAt) {
            this(body, etag, sampledAt, null, 200);
        }
    }

    /** A {@code 304}: the generator's data has not changed since the current snapshot. */
    record NotModified() implements FetchResult {
    }
}
