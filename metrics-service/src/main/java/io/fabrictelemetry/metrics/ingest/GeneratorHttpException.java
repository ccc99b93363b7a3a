package io.fabrictelemetry.metrics.ingest;

/** The generator answered with a status other than 2xx or 304. */
class GeneratorHttpException extends RuntimeException {

    GeneratorHttpException(int status) {
        super("generator answered HTTP " + status, null, false, false);
    }
}
