/**
 * The simulated fabric: switch states advanced once per period and rendered to CSV once per generation.
 */
@NullMarked
package io.fabrictelemetry.generator.simulation;

import org.jspecify.annotations.NullMarked;
