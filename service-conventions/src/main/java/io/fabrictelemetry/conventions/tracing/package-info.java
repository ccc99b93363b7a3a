/**
 * Tracing as both services do it: what is sampled ({@link io.fabrictelemetry.conventions.tracing.TracingProperties},
 * {@link io.fabrictelemetry.conventions.tracing.SampledRoots}) and where spans go
 * ({@link io.fabrictelemetry.conventions.tracing.OtlpTracesEndpoint}: nowhere unless an OTLP endpoint is configured).
 */
@NullMarked
package io.fabrictelemetry.conventions.tracing;

import org.jspecify.annotations.NullMarked;
