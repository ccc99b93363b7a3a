package io.fabrictelemetry.metrics.ingest;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import org.springframework.web.reactive.function.client.WebClientResponseException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;

/** How one poll ended; the tag of the poll counters and the headline of the health details. */
public enum PollOutcome {
    SUCCESS, NOT_MODIFIED, TIMEOUT, CONNECT_ERROR, IO_ERROR, HTTP_ERROR, PARSE_ERROR, TOO_LARGE,
    /** The service's own side failed: a bug, or an {@link Error} such as running out of direct memory. */
    INTERNAL_ERROR;

    public boolean succeeded() {
        return this == SUCCESS || this == NOT_MODIFIED;
    }

    /** The lower-case name used as a metric tag and in health details. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static PollOutcome of(Throwable error) {
        if (error instanceof InternalFailureException) {
            return INTERNAL_ERROR;
        }
        if (error instanceof TimeoutException) {
            return TIMEOUT;
        }
        if (error instanceof PayloadTooLargeException) {
            return TOO_LARGE;
        }
        if (error instanceof PayloadRejectedException) {
            return PARSE_ERROR;
        }
        if (error instanceof GeneratorHttpException || error instanceof WebClientResponseException) {
            return HTTP_ERROR;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // an Error the client passed on as a signal (Netty's OutOfDirectMemoryError while reading
            // the body, say) is this process failing, not the exchange
            if (cause instanceof Error) {
                return INTERNAL_ERROR;
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // the client's between-reads limit equals poll.timeout: whichever of the two fires first
            // (it depends on scheduling), the poll took too long
            if (cause instanceof ReadTimeoutException) {
                return TIMEOUT;
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException
                    || cause instanceof UnresolvedAddressException || cause instanceof ConnectTimeoutException
                    || cause instanceof NoRouteToHostException) {
                return CONNECT_ERROR;
            }
        }
        // resets, premature closes and anything else that broke the exchange after it connected
        return IO_ERROR;
    }

    /** A one-line description of a failure for logs and health details, without a stack trace. */
    static String describe(Throwable error) {
        if (error instanceof TimeoutException) {
            return "no complete response within poll.timeout";
        }
        StringBuilder text = new StringBuilder();
        Throwable cause = error;
        for (int depth = 0; cause != null && depth < 4; depth++, cause = cause.getCause()) {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            // wrappers often repeat their cause's message; say each thing once
            if (text.indexOf(message) < 0) {
                if (!text.isEmpty()) {
                    text.append(": ");
                }
                text.append(message);
            }
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text.toString();
    }
}
