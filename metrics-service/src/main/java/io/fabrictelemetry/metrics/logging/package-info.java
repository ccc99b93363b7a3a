/**
 * Logging infrastructure: the batching appender that writes the access log.
 */
@NullMarked
package io.fabrictelemetry.metrics.logging;

import org.jspecify.annotations.NullMarked;
