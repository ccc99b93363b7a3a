package io.fabrictelemetry.conventions.tracing;

import java.util.List;
import java.util.Set;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

/**
 * Decides for a span that starts a trace: always recorded when its name is one of {@code always}
 * (the poll), else recorded with the configured probability (by trace ID, as OpenTelemetry's
 * {@code TraceIdRatioBased} does). {@link #parentBased} puts it behind the parent's decision, so a
 * span with a parent (local, or a caller's {@code traceparent}) follows its parent.
 *
 * <p>The name must be known when the span starts: Micrometer's {@code Tracer.spanBuilder().name(..)}
 * passes it, while {@code Tracer.nextSpan()} and Observations start spans unnamed.
 */
public final class SampledRoots implements Sampler {

    private final Set<String> always;
    private final Sampler others;

    SampledRoots(Set<String> always, double probability) {
        this.always = Set.copyOf(always);
        this.others = Sampler.traceIdRatioBased(probability);
    }

    /** The sampler of a service: a parent's decision when there is a parent, else {@link SampledRoots}. */
    public static Sampler parentBased(Set<String> always, double probability) {
        return Sampler.parentBased(new SampledRoots(always, probability));
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        if (always.contains(name)) {
            return SamplingResult.recordAndSample();
        }
        return others.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "SampledRoots{always=" + always + ", others=" + others.getDescription() + "}";
    }

    @Override
    public String toString() {
        return getDescription();
    }
}
