package io.fabrictelemetry.metrics.dashboard;

import java.util.List;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;

import io.fabrictelemetry.conventions.EntityTags;
import reactor.core.publisher.Mono;

/**
 * Serves the page and its files from {@link DashboardAssets}. {@code Cache-Control: no-cache}
 * with a strong ETag: a browser revalidates each file (a cheap {@code 304}) and never runs a
 * module older than the service that serves it. The Content-Security-Policy allows nothing but
 * this origin, so the page cannot load anything from elsewhere (it must work air-gapped).
 */
class DashboardHandler {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final List<HttpMethod> ALLOWED = List.of(HttpMethod.GET, HttpMethod.HEAD);

    private final DashboardAssets assets;

    DashboardHandler(DashboardAssets assets) {
        this.assets = assets;
    }

    Mono<ServerResponse> page(ServerRequest request) {
        return serve(request, assets.index());
    }

    Mono<ServerResponse> file(ServerRequest request) {
        String path = request.pathVariable("file");
        DashboardAssets.Asset asset = assets.find(path.startsWith("/") ? path.substring(1) : path);
        if (asset == null) {
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND));
        }
        return serve(request, asset);
    }

    Mono<ServerResponse> methodNotAllowed(ServerRequest request) {
        return Mono.error(new MethodNotAllowedException(request.method(), ALLOWED));
    }

    private static Mono<ServerResponse> serve(ServerRequest request, DashboardAssets.Asset asset) {
        boolean notModified = EntityTags.matches(request.headers().header(HttpHeaders.IF_NONE_MATCH), asset.etag());
        ServerResponse.BodyBuilder response = ServerResponse.status(notModified ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                .eTag(asset.etag())
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
        if (notModified) {
            return response.build();
        }
        return response.contentType(asset.contentType())
                .contentLength(asset.body().length)
                .bodyValue(asset.body());
    }
}
