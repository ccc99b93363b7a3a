package io.fabrictelemetry.metrics.ingest;

/**
 * An accepted payload could not be appended to the Kafka log (broker unreachable, record refused,
 * no acknowledgement in time); it is not applied, and the poll ends as {@link PollOutcome#PUBLISH_ERROR}.
 */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
