package io.fabrictelemetry.metrics.ingest;

/**
 * A throwable from the service's own side of a poll, not from the generator: a bug, or an
 * {@link Error} such as an {@link OutOfMemoryError} of direct memory, while calling the fetcher or
 * while parsing, building or publishing the snapshot. Wrapped so that Reactor passes it on as the
 * poll's error signal: it re-throws JVM-fatal errors ({@code VirtualMachineError}, {@code
 * LinkageError}) from its operators, which would leave the poll, and so the schedule, never
 * completing. Counted as {@link PollOutcome#INTERNAL_ERROR}.
 */
final class InternalFailureException extends RuntimeException {

    InternalFailureException(String stage, Throwable cause) {
        // no stack trace of its own: the cause's is the one that matters, and after an
        // OutOfMemoryError the less this allocates the better
        super("internal error while " + stage + ": " + cause, cause, false, false);
    }
}
