package io.fabrictelemetry.generator.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
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
     * A copy of the CSV with one data row damaged: either its last cell replaced by text that is not
     * a number, or its last cell removed. The header and other rows are untouched. Works on the bytes
     * (CRLF line ends), so that a 60 MB port view is copied once, not split into strings.
     */
    byte[] corruptRow(byte[] csv) {
        return corruptRow(csv, csv.length);
    }

    /** {@link #corruptRow(byte[])} of the first {@code length} bytes of {@code csv}. */
    byte[] corruptRow(byte[] csv, int length) {
        int lines = 0;
        for (int i = 0; i + 1 < length; i++) {
            if (csv[i] == '\r' && csv[i + 1] == '\n') {
                lines++;
            }
        }
        int dataRows = lines - 1; // the header first
        if (dataRows < 1) {
            return Arrays.copyOf(csv, length);
        }
        int row;
        boolean dropCell;
        synchronized (random) {
            row = 1 + random.nextInt(dataRows);
            dropCell = random.nextBoolean();
        }
        int start = 0;
        for (int seen = 0; seen < row; start++) {
            if (csv[start] == '\r' && csv[start + 1] == '\n') {
                seen++;
                start++;
            }
        }
        int end = start;
        while (!(csv[end] == '\r' && csv[end + 1] == '\n')) {
            end++;
        }
        int lastComma = end - 1;
        while (lastComma >= start && csv[lastComma] != ',') {
            lastComma--;
        }
        if (lastComma < start) {
            return Arrays.copyOf(csv, length);
        }
        byte[] damage = dropCell ? new byte[0] : ",#corrupt#".getBytes(StandardCharsets.US_ASCII);
        byte[] corrupted = new byte[lastComma + damage.length + length - end];
        System.arraycopy(csv, 0, corrupted, 0, lastComma);
        System.arraycopy(damage, 0, corrupted, lastComma, damage.length);
        System.arraycopy(csv, end, corrupted, lastComma + damage.length, length - end);
        return corrupted;
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
