package io.fabrictelemetry.metrics.kafka;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.fabrictelemetry.conventions.PayloadRecords.Payload;

/**
 * Whether a payload read from the log applies after those applied before it, per source (the
 * record's key): not when it is the same payload as the one last applied from its source
 * ({@link RecordIdentity}: a second publisher's copy), nor when it was sampled no later than that
 * one (a second publisher's older generation landing after a newer one, during a rolling update).
 * Its sampledAt is the record's {@code sampled-at} when it has one, which decides before the payload
 * is parsed ({@link #beforeParse}); else the one derived from the parsed bytes as a publisher derives
 * it ({@link #afterParse}). Every reader of the log decides alike, so replicas agree; not thread-safe
 * (one reader thread).
 */
final class AppliedRecords {

    /** Why a payload does not apply. */
    enum Refusal {
        /** the same payload as the one last applied from its source */
        DUPLICATE,
        /** sampled no later than the one last applied from its source */
        STALE
    }

    /**
     * @param refusal why the payload does not apply
     * @param why     what it was compared with, for the log
     */
    record Refused(Refusal refusal, String why) {
    }

    /** What is kept of the payload last applied from a source. */
    private record Applied(String identity, Instant sampledAt) {
    }

    private final Map<String, Applied> last = new HashMap<>();

    /**
     * Before the parse: refused as a duplicate, or as stale by its {@code sampled-at}; null when it
     * may apply, the parse then deciding for a payload without {@code sampled-at} ({@link #afterParse}).
     */
    @Nullable Refused beforeParse(Payload payload) {
        Applied before = last.get(payload.source());
        if (before == null) {
            return null;
        }
        String identity = identity(payload);
        if (identity.equals(before.identity())) {
            return new Refused(Refusal.DUPLICATE, "the same payload as the one last applied from " + payload.source()
                    + " (" + identity + ")");
        }
        if (payload.sampledAt() != null) {
            return stale(payload.sampledAt(), before);
        }
        return null;
    }

    /** After the parse, with the payload's sampledAt as its snapshot would take it: refused as stale, or null. */
    @Nullable Refused afterParse(Payload payload, Instant sampledAt) {
        Applied before = last.get(payload.source());
        return before == null ? null : stale(sampledAt, before);
    }

    /** The payload was applied with {@code sampledAt}: later ones from its source are compared with it. */
    void applied(Payload payload, Instant sampledAt) {
        last.put(payload.source(), new Applied(identity(payload), sampledAt));
    }

    private static @Nullable Refused stale(Instant sampledAt, Applied before) {
        if (sampledAt.isAfter(before.sampledAt())) {
            return null;
        }
        return new Refused(Refusal.STALE, "sampled at " + sampledAt + ", not after " + before.sampledAt()
                + " of the payload last applied from the same source (" + before.identity() + ")");
    }

    private static String identity(Payload payload) {
        return RecordIdentity.of(payload.sourceEtag(),
                payload.sampledAt() == null ? null : payload.sampledAt().toString(), payload.body());
    }
}
