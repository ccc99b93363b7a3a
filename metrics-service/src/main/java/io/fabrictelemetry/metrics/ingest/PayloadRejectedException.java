package io.fabrictelemetry.metrics.ingest;

/** The generator's payload cannot be used as a whole; the previous snapshot stays as it was. */
class PayloadRejectedException extends RuntimeException {

    PayloadRejectedException(String message) {
        super(message, null, false, false);
    }
}
