package io.fabrictelemetry.generator.simulation;

import java.time.Instant;

/**
 * One published state of the fabric, rendered once and served as is to every request until the
 * next period. Immutable by convention: nobody writes into {@code csv} after publication.
 *
 * @param number       1 for the first generation of this process, then +1 per period
 * @param sampledAt    when the values were produced (millisecond precision)
 * @param etag         strong, quoted entity tag: boot identifier and generation number
 * @param csv          the UTF-8 CSV body
 * @param switchesDown switches whose link is down in this generation
 */
public record Generation(long number, Instant sampledAt, String etag, byte[] csv, int switchesDown) {
}
