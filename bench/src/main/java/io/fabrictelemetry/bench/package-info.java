/**
 * Benchmark tools: the bare Reactor Netty baseline server the services are measured against, a Kafka
 * broker in a JVM of its own ({@code KafkaBroker}, for {@code bench/replicas.sh}), and command-line
 * clients ({@code StreamSoak}, run by {@code bench/soak.sh}; {@code ArrivalProbe}, run by
 * {@code bench/replicas.sh}). These are not services:
 * a client's pauses ({@code Thread.sleep} on its own main thread) and its report on standard output
 * (a Markdown table the script keeps) are its job, never on an event loop; JMH benchmarks print their
 * extra figures in {@code @TearDown} the same way.
 */
@NullMarked
package io.fabrictelemetry.bench;

import org.jspecify.annotations.NullMarked;
