/**
 * The browser dashboard served at {@code /}: static files read once at startup, served from memory
 * through the functional router. The page itself is a client of the public API only.
 */
@NullMarked
package io.fabrictelemetry.metrics.dashboard;

import org.jspecify.annotations.NullMarked;
