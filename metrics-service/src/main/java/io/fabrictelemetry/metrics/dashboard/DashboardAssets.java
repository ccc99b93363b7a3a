package io.fabrictelemetry.metrics.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.http.MediaType;

/**
 * The dashboard's static files ({@code classpath:/dashboard/**}), read once when the service
 * starts and never changed afterwards: requests are answered from memory, without I/O on the
 * event loop, each file with a strong ETag naming its content.
 */
final class DashboardAssets {

    static final String LOCATION = "classpath*:/dashboard/**";
    static final String INDEX = "index.html";

    record Asset(String path, byte[] body, MediaType contentType, String etag) {
    }

    private static final Map<String, MediaType> TYPES = Map.of(
            "html", MediaType.parseMediaType("text/html;charset=utf-8"),
            "js", MediaType.parseMediaType("text/javascript;charset=utf-8"),
            "css", MediaType.parseMediaType("text/css;charset=utf-8"),
            "svg", MediaType.parseMediaType("image/svg+xml"),
            "png", MediaType.IMAGE_PNG,
            "ico", MediaType.parseMediaType("image/x-icon"));

    private final Map<String, Asset> assets;

    private DashboardAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    /** Reads every file under {@code /dashboard/} on the class path (a directory or the jar). */
    static DashboardAssets load() {
        try {
            Map<String, Asset> assets = new TreeMap<>();
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                if (!resource.isReadable()) {
                    continue; // a directory
                }
                String url = resource.getURL().toString();
                String path = url.substring(url.lastIndexOf("/dashboard/") + "/dashboard/".length());
                MediaType type = TYPES.get(path.substring(path.lastIndexOf('.') + 1));
                if (path.isEmpty() || type == null) {
                    continue; // only file kinds a browser needs from us, with a known type
                }
                try (InputStream in = resource.getInputStream()) {
                    byte[] body = in.readAllBytes();
                    assets.put(path, new Asset(path, body, type, etag(body)));
                }
            }
            if (!assets.containsKey(INDEX)) {
                throw new IllegalStateException("dashboard/" + INDEX + " is missing from the class path");
            }
            return new DashboardAssets(assets);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's files", e);
        }
    }

    @Nullable
    Asset find(String path) {
        return assets.get(path);
    }

    Asset index() {
        return assets.get(INDEX);
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
