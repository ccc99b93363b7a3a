package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.prometheus.metrics.tracer.common.SpanContext;

/**
 * Where the Prometheus histograms' exemplars come from, instead of Spring Boot's (which asks the
 * tracer for the current span on every recording of every timer, each API request's included): the
 * current span only on the thread that is recording a poll ({@link PollSpans.Poll#within}), so the
 * poll duration buckets point at poll traces and every other recording costs one volatile read. API
 * requests lose nothing: their timer is recorded outside their span.
 *
 * <p>The tracer is looked up lazily, as Spring Boot's own does: the meter registry needs this
 * before the tracer (which may record metrics) exists.
 */
@Component
class PollExemplars implements SpanContext {

    static final PollExemplars NONE = new PollExemplars(SingletonSupplier.of(() -> Tracer.NOOP));

    private final SingletonSupplier<Tracer> tracer;
    private volatile @Nullable Thread recording;

    @Autowired
    PollExemplars(ObjectProvider<Tracer> tracer) {
        this(SingletonSupplier.of(tracer::getObject));
    }

    private PollExemplars(SingletonSupplier<Tracer> tracer) {
        this.tracer = tracer;
    }

    /** Exemplars are taken on this thread (the poll's, its root span current) until {@link #end}. */
    void begin() {
        recording = Thread.currentThread();
    }

    void end() {
        recording = null;
    }

    private @Nullable Span current() {
        return recording == Thread.currentThread() ? tracer.obtain().currentSpan() : null;
    }

    @Override
    public @Nullable String getCurrentTraceId() {
        Span span = current();
        return span == null ? null : span.context().traceId();
    }

    @Override
    public @Nullable String getCurrentSpanId() {
        Span span = current();
        return span == null ? null : span.context().spanId();
    }

    @Override
    public boolean isCurrentSpanSampled() {
        Span span = current();
        return span != null && Boolean.TRUE.equals(span.context().sampled());
    }

    @Override
    public void markCurrentSpanAsExemplar() {
    }
}
