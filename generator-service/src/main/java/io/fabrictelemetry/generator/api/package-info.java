/**
 * HTTP: {@code GET /counters} serving each generation's CSV bytes, fault injection, access log.
 */
@NullMarked
package io.fabrictelemetry.generator.api;

import org.jspecify.annotations.NullMarked;
