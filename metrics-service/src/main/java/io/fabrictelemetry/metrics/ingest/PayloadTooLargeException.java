package io.fabrictelemetry.metrics.ingest;

import org.springframework.util.unit.DataSize;

/** The body exceeds {@code poll.max-bytes}; reading stopped at the limit. */
class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(DataSize limit) {
        super("body larger than poll.max-bytes (" + limit.toBytes() + " bytes)", null, false, false);
    }
}
