/**
 * Byte writers of the response bodies: JSON written as bytes, direct-buffer sinks, gzip, the API's time format.
 */
@NullMarked
package io.fabrictelemetry.metrics.body;

import org.jspecify.annotations.NullMarked;
