/**
 * The dashboard: how its files are served, and the page itself in headless Chromium against the real services.
 */
@NullMarked
package io.fabrictelemetry.metrics.dashboard;

import org.jspecify.annotations.NullMarked;
