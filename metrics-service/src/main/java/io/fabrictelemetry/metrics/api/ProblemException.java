package io.fabrictelemetry.metrics.api;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A client-facing failure with everything its RFC 9457 problem body needs. Thrown by handlers and
 * rendered in one place, {@link ProblemExceptionHandler}.
 */
public class ProblemException extends RuntimeException {

    public static final String TYPE_PREFIX = "urn:fabric-telemetry:problem:";

    private final HttpStatus status;
    private final String type;
    private final Map<String, Object> properties;
    private final HttpHeaders headers;

    public ProblemException(HttpStatus status, String type, String detail, Map<String, Object> properties,
            HttpHeaders headers) {
        super(detail, null, false, false);
        this.status = status;
        this.type = TYPE_PREFIX + type;
        this.properties = properties;
        this.headers = headers;
    }

    public ProblemException(HttpStatus status, String type, String detail) {
        this(status, type, detail, Map.of(), HttpHeaders.EMPTY);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
