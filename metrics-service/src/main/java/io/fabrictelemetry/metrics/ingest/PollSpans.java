package io.fabrictelemetry.metrics.ingest;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import io.fabrictelemetry.conventions.tracing.TracingConfiguration;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * The spans of polls: each poll is a trace whose root, {@value TracingConfiguration#POLL_SPAN}, is always
 * sampled and carries the outcome, the generator's status, the bytes received and whether the ETag
 * matched; its children time the fetch (under which WebClient's own client span sends
 * {@code traceparent} to the generator), the parse, and the publish ({@link PayloadSink#accept}: in
 * publish mode the Kafka append, {@code kafka/KafkaPublisher}'s {@code fabric.kafka.publish}, then the
 * snapshot's build, {@code SnapshotStore}'s {@code fabric.poll.build}, both children of the publish
 * span, then the swap and the hand-off to history). Spans are named
 * when they start, as the sampler decides on the name (conventions/tracing/SampledRoots).
 *
 * <p>With no tracer ({@link #NONE}, the loop tests) every span is Micrometer's no-op span.
 */
@Component
class PollSpans {

    static final String FETCH = "fabric.poll.fetch";
    static final String PARSE = "fabric.poll.parse";
    /**
     * The accepted payload handed to the {@link PayloadSink}: the snapshot built and made current (in
     * publish mode, once the Kafka log has acknowledged the record).
     */
    static final String PUBLISH = "fabric.poll.publish";

    static final PollSpans NONE = new PollSpans(Tracer.NOOP, PollExemplars.NONE);

    private final Tracer tracer;
    private final PollExemplars exemplars;

    PollSpans(Tracer tracer, PollExemplars exemplars) {
        this.tracer = tracer;
        this.exemplars = exemplars;
    }

    /** Starts the root span of a new trace, one per poll. */
    Poll start(String source) {
        Span root = tracer.spanBuilder().name(TracingConfiguration.POLL_SPAN).setNoParent()
                .tag("fabric.poll.source", source).start();
        return new Poll(tracer, exemplars, root);
    }

    /** One poll's trace. Its methods are called from one poll's steps, one at a time. */
    static final class Poll {

        private final Tracer tracer;
        private final PollExemplars exemplars;
        private final Span root;

        private Poll(Tracer tracer, PollExemplars exemplars, Span root) {
            this.tracer = tracer;
            this.exemplars = exemplars;
            this.root = root;
        }

        /** A child of the poll, started now; the caller ends it. */
        Span child(String name) {
            return tracer.spanBuilder().name(name).setParent(root.context()).start();
        }

        /** Makes {@code span} the current span of this thread until the scope closes. */
        Tracer.SpanInScope inScope(Span span) {
            return tracer.withSpan(span);
        }

        /** Runs one step of the poll as a child span of its own, current while it runs. */
        <T> T step(String name, Supplier<T> step) {
            Span span = child(name);
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                return step.get();
            } catch (Throwable error) {
                span.error(error);
                throw error;
            } finally {
                span.end();
            }
        }

        /** Runs {@code action} with the poll's root span current: logs carry its trace ID, timers an exemplar. */
        <T> T within(Supplier<T> action) {
            try (Tracer.SpanInScope scope = tracer.withSpan(root)) {
                exemplars.begin();
                return action.get();
            } finally {
                exemplars.end();
            }
        }

        /** What the generator answered. */
        void received(FetchResult result) {
            if (result instanceof FetchResult.Fetched fetched) {
                root.tag("http.response.status_code", fetched.status());
                root.tag("fabric.poll.bytes", fetched.body().length);
                root.tag("fabric.poll.etag_match", false);
            } else {
                root.tag("http.response.status_code", 304);
                root.tag("fabric.poll.etag_match", true);
            }
        }

        /** Ends the poll's trace with its outcome and, for a failed poll, its error. */
        void end(PollOutcome outcome, @Nullable Throwable error) {
            root.tag("fabric.poll.outcome", outcome.tag());
            if (error != null) {
                if (error instanceof GeneratorHttpException http) {
                    root.tag("http.response.status_code", http.status());
                }
                root.error(error);
            }
            root.end();
        }

        /** Ends a poll cut short by shutdown. */
        void cancelled() {
            root.tag("fabric.poll.outcome", "cancelled");
            root.end();
        }
    }
}
