package io.fabrictelemetry.metrics.api;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A client-facing failure with everything its RFC 9457 problem body needs. Thrown by handlers and
 * rendered in one place, {@link ProblemExceptionHandler}.
 */
class ProblemException extends RuntimeException {

    static final String TYPE_PREFIX = "urn:fabric-telemetry:problem:";

    private final HttpStatus status;
    private final String type;
    private final Map<String, Object> properties;
    private final HttpHeaders headers;

    ProblemException(HttpStatus status, String type, String detail, Map<String, Object> properties,
            HttpHeaders headers) {
        super(detail, null, false, false);
        this.status = status;
        this.type = TYPE_PREFIX + type;
        this.properties = properties;
        this.headers = headers;
    }

    ProblemException(HttpStatus status, String type, String detail) {
        this(status, type, detail, Map.of(), HttpHeaders.EMPTY);
    }

    HttpStatus status() {
        return status;
    }

    String type() {
        return type;
    }

    Map<String, Object> properties() {
        return properties;
    }

    HttpHeaders headers() {
        return headers;
    }
}
