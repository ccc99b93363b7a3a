package io.fabrictelemetry.generator.simulation;

import java.time.Instant;

/**
 * One published state of the fabric, rendered once in both views and served as is to every request
 * until the next period. Immutable by convention: nobody writes into the bodies after publication.
 *
 * @param number       1 for the first generation of this process, then +1 per period
 * @param sampledAt    when the values were produced (millisecond precision)
 * @param etag         strong, quoted entity tag of {@code csv}: boot identifier and generation number
 * @param csv          the UTF-8 CSV body of {@code /counters}: one row per switch
 * @param switchesDown switches with a port down ({@code link_state} 0) in this generation
 * @param portsEtag    strong, quoted entity tag of {@code portsCsv}: {@code etag} with {@code -ports}
 * @param portsCsv     the CSV body of {@code /csv/metrics}: one row per port, UFM Telemetry's layout
 * @param portsDown    ports in a link-down episode in this generation
 */
public record Generation(long number, Instant sampledAt, String etag, byte[] csv, int switchesDown,
        String portsEtag, CsvBody portsCsv, int portsDown) {
}
