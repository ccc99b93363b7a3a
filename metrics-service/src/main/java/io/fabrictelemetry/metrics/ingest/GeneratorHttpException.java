package io.fabrictelemetry.metrics.ingest;

/** The generator answered with a status other than 2xx or 304. */
class GeneratorHttpException extends RuntimeException {

    private final int status;

    GeneratorHttpException(int status) {
        super("generator answered HTTP " + status, null, false, false);
        this.status = status;
    }

    /** The generator's status code. */
    int status() {
        return status;
    }
}
