/**
 * The framework floor: Spring WebFlux's functional endpoints serving captured bytes with nothing of
 * ours on top, measured between the bare-Netty baseline and the services.
 */
@NullMarked
package io.fabrictelemetry.bench.floor;

import org.jspecify.annotations.NullMarked;
