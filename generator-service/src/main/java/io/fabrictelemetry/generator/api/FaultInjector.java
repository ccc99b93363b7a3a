package io.fabrictelemetry.generator.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decides, per request, which configured faults to inject. Draws from its own random source, never
 * from the simulation's, so turning faults on does not change the sequence of generations.
 */
@Component
class FaultInjector {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final FaultProperties faults;
    private final RandomGenerator random;

    @Autowired
    FaultInjector(FaultProperties faults) {
        this(faults, RandomGenerator.of("L64X128MixRandom"));
    }

    FaultInjector(FaultProperties faults, RandomGenerator random) {
        this.faults = faults;
        this.random = random;
        if (faults.anyEnabled()) {
            log.warn("Fault injection is ON: {}", faults);
        }
    }

    Duration delay() {
        return !faults.delay().isZero() && draw(faults.delayRate()) ? faults.delay() : Duration.ZERO;
    }

    boolean error() {
        return draw(faults.errorRate());
    }

    boolean truncate() {
        return draw(faults.truncateRate());
    }

    boolean corrupt() {
        return draw(faults.corruptRate());
    }

    /**
     * A copy of the CSV with one data row damaged: either a cell replaced by text that is not a
     * number, or the row's last cell removed. The header and other rows are untouched.
     */
    byte[] corruptRow(byte[] csv) {
        String text = new String(csv, StandardCharsets.US_ASCII);
        String[] lines = text.split("\r\n", -1);
        int dataRows = lines.length - 2; // header first, empty string after the final CRLF
        if (dataRows < 1) {
            return csv;
        }
        int row;
        boolean dropCell;
        synchronized (random) {
            row = 1 + random.nextInt(dataRows);
            dropCell = random.nextBoolean();
        }
        String line = lines[row];
        int lastComma = line.lastIndexOf(',');
        if (lastComma < 0) {
            return csv;
        }
        lines[row] = dropCell ? line.substring(0, lastComma) : line.substring(0, lastComma) + ",#corrupt#";
        return String.join("\r\n", lines).getBytes(StandardCharsets.US_ASCII);
    }

    private boolean draw(double rate) {
        if (rate <= 0) {
            return false;
        }
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }
}
