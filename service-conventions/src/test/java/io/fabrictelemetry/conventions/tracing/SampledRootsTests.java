package io.fabrictelemetry.conventions.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;

class SampledRootsTests {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static SamplingDecision decide(Sampler sampler, Context parent, String name) {
        return sampler.shouldSample(parent, TRACE, name, SpanKind.INTERNAL, Attributes.empty(), List.of()).getDecision();
    }

    private static Context parent(boolean sampled) {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE, "00f067aa0ba902b7",
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
    }

    @Test
    void aPollStartingATraceIsAlwaysSampledAndOtherRootsNeverAtProbabilityZero() {
        Sampler sampler = SampledRoots.parentBased(Set.of("fabric.poll"), 0);
        assertThat(decide(sampler, Context.root(), "fabric.poll")).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(sampler, Context.root(), "http get")).isEqualTo(SamplingDecision.DROP);
        assertThat(decide(sampler, Context.root(), "")).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void otherRootsAreAllSampledAtProbabilityOne() {
        assertThat(decide(SampledRoots.parentBased(Set.of("fabric.poll"), 1), Context.root(), "http get"))
                .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    @Test
    void aSpanWithAParentFollowsItsParentsDecision() {
        Sampler sampler = SampledRoots.parentBased(Set.of("fabric.poll"), 0);
        assertThat(decide(sampler, parent(true), "http get /counters")).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(SampledRoots.parentBased(Set.of("fabric.poll"), 1), parent(false), "http get"))
                .isEqualTo(SamplingDecision.DROP);
    }
}
