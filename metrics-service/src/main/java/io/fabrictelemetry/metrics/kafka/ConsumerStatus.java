package io.fabrictelemetry.metrics.kafka;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the topic's consumer knows about itself, replaced whole at each change (one writer: the
 * consumer thread). Offsets are summed over the topic's partitions (one, by contract).
 *
 * @param started         when the consumer thread started; null before
 * @param lastContact     when the broker last answered (records, offsets); null before it ever did
 * @param reachable       whether the last exchange with the broker succeeded; null before the first
 * @param lastError       the last failure's description; kept after recovery for context
 * @param failingSince    start of the current run of failures; null while the broker answers
 * @param endAtStart      the end offset read at start; -1 before it is read
 * @param position        the next offset to read: every record before it was applied or skipped
 * @param caughtUp        true once {@code position} reached {@code endAtStart}; stays true
 * @param endOffset       the end offset last read from the broker; -1 before the first
 * @param lastRecordTime  the broker timestamp of the last record read; null before the first
 * @param appliedSequence the sequence of the last snapshot built from a record; 0 before the first
 * @param refused         why the consumer applies no record any more (the log's offsets went back
 *                        below its position); null while it applies records. Stays until a restart
 */
public record ConsumerStatus(
        @Nullable Instant started,
        @Nullable Instant lastContact,
        @Nullable Boolean reachable,
        @Nullable String lastError,
        @Nullable Instant failingSince,
        long endAtStart,
        long position,
        boolean caughtUp,
        long endOffset,
        @Nullable Instant lastRecordTime,
        long appliedSequence,
        @Nullable String refused) {

    static final ConsumerStatus INITIAL = new ConsumerStatus(null, null, null, null, null, -1, 0, false, -1, null, 0, null);

    /** Records between the position and the end offset last read; -1 before an end offset was read. */
    public long lagRecords() {
        return endOffset < 0 ? -1 : Math.max(0, endOffset - position);
    }

    ConsumerStatus startedAt(Instant at) {
        return new ConsumerStatus(at, lastContact, reachable, lastError, failingSince, endAtStart, position, caughtUp,
                endOffset, lastRecordTime, appliedSequence, refused);
    }

    ConsumerStatus answered(Instant at, long end) {
        return new ConsumerStatus(started, at, true, lastError, null, endAtStart, position, caughtUp,
                end < 0 ? endOffset : end, lastRecordTime, appliedSequence, refused);
    }

    ConsumerStatus failed(String error, Instant at) {
        return new ConsumerStatus(started, lastContact, false, error, failingSince == null ? at : failingSince,
                endAtStart, position, caughtUp, endOffset, lastRecordTime, appliedSequence, refused);
    }

    /** The consumer stopped applying records, for {@code reason}; kept until a restart. */
    ConsumerStatus refusing(String reason) {
        return new ConsumerStatus(started, lastContact, reachable, lastError, failingSince, endAtStart, position,
                caughtUp, endOffset, lastRecordTime, appliedSequence, refused == null ? reason : refused);
    }

    /** The start: where reading begins and the end offset it must reach to be caught up. */
    ConsumerStatus positioned(long end, long next) {
        return new ConsumerStatus(started, lastContact, reachable, lastError, failingSince, end, next,
                next >= end, end, lastRecordTime, appliedSequence, refused);
    }

    /** A record was read (applied if {@code sequence} > 0, else skipped); {@code next} follows it. */
    ConsumerStatus read(long next, Instant recordTime, long sequence) {
        return new ConsumerStatus(started, lastContact, reachable, lastError, failingSince, endAtStart, next,
                caughtUp || (endAtStart >= 0 && next >= endAtStart), endOffset, recordTime,
                sequence > 0 ? sequence : appliedSequence, refused);
    }
}
