/**
 * The generator-service application and its shared wiring (the clock).
 */
@NullMarked
package io.fabrictelemetry.generator;

import org.jspecify.annotations.NullMarked;
