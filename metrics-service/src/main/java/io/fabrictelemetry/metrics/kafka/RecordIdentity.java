package io.fabrictelemetry.metrics.kafka;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * What makes a record the same payload as another from the same source, for skipping the second
 * copy that two publishers at once (a rolling update) append: the source's ETag when it sent one,
 * else the time the source said it sampled the data, else the payload's bytes (their SHA-256). A
 * pure function.
 */
final class RecordIdentity {

    private RecordIdentity() {
    }

    static String of(@Nullable String sourceEtag, @Nullable String sampledAt, byte[] payload) {
        if (sourceEtag != null) {
            return "etag " + sourceEtag;
        }
        if (sampledAt != null) {
            return "sampled-at " + sampledAt;
        }
        try {
            return "sha-256 " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
