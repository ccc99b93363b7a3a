package io.fabrictelemetry.metrics.body;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * gzip of a whole body, at the fastest level by default: the snapshot compresses its ListMetrics
 * body once, on the first gzip request; the API compresses a filtered selection per request that it
 * does not keep. A body compressed once and sent many times (a kept filtered ListMetrics) may take
 * a higher level ({@link #compress(byte[], int)}): a third smaller on port rows.
 */
public final class Gzip {

    private Gzip() {
    }

    public static byte[] compress(byte[] body) {
        return compress(body, Deflater.BEST_SPEED);
    }

    /** gzip of a whole body at a {@link Deflater} level (1 fastest to 9 smallest). */
    public static byte[] compress(byte[] body, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(level);
            }
        }) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
