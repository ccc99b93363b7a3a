/**
 * Benchmark tools: the bare Reactor Netty baseline server the services are measured against.
 */
@NullMarked
package io.fabrictelemetry.bench;

import org.jspecify.annotations.NullMarked;
