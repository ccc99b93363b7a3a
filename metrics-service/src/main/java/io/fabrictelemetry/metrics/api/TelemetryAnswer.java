package io.fabrictelemetry.metrics.api;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

import io.fabrictelemetry.conventions.EntityTags;
import reactor.core.publisher.Mono;

/**
 * A {@code 200} telemetry answer, or its {@code 304}: a {@link ServerResponse} that a handler function
 * returns and Spring's {@code DispatcherHandler} writes, like any other. What it saves over
 * {@code ServerResponse.ok()...body(...)} is per-request work that does nothing here: the builder's
 * headers live in a case-insensitive map of their own and are copied into the response's headers on
 * writing; here they are set on the response's (Netty's) headers once. A request's
 * {@code If-None-Match} is evaluated by {@link EntityTags}, as for every other answer of the API
 * (weak comparison; {@code *} matches, since a current representation exists), and only when the
 * request carries one.
 *
 * <p>Headers: {@code Content-Type}, {@code ETag}, {@code Cache-Control: no-cache},
 * {@code X-Data-Age-Ms}, and optionally {@code Vary} and {@code Content-Encoding}. A {@code HEAD}
 * answer measures the body and states its {@code Content-Length}, without sending it.
 */
public final class TelemetryAnswer implements ServerResponse {

    /** The header that says how old the answer's values are, in milliseconds. */
    public static final String DATA_AGE = "X-Data-Age-Ms";

    private static final MultiValueMap<String, ResponseCookie> NO_COOKIES = new LinkedMultiValueMap<>(0);

    private final String contentType;
    private final String etag;
    private final long dataAgeMs;
    private final @Nullable String vary;
    private final @Nullable String contentEncoding;
    private final Function<DataBufferFactory, DataBuffer> body;

    private TelemetryAnswer(String contentType, String etag, long dataAgeMs, @Nullable String vary,
            @Nullable String contentEncoding, Function<DataBufferFactory, DataBuffer> body) {
        this.contentType = contentType;
        this.etag = etag;
        this.dataAgeMs = dataAgeMs;
        this.vary = vary;
        this.contentEncoding = contentEncoding;
        this.body = body;
    }

    /** A {@code 200} answer; {@code body} is called once, when (and if) the body is written. */
    public static TelemetryAnswer ok(String contentType, String etag, long dataAgeMs, Supplier<DataBuffer> body) {
        return new TelemetryAnswer(contentType, etag, dataAgeMs, null, null, buffers -> body.get());
    }

    /**
     * A {@code 200} answer whose body is written, when (and if) it is, into a buffer of the response's
     * own factory ({@code body} is called once with it): under Reactor Netty a pooled direct buffer,
     * which goes to the socket as it is, where a heap buffer would be copied into a direct one first.
     */
    public static TelemetryAnswer written(String contentType, String etag, long dataAgeMs,
            Function<DataBufferFactory, DataBuffer> body) {
        return new TelemetryAnswer(contentType, etag, dataAgeMs, null, null, body);
    }

    /** The same answer with {@code Vary} (and {@code Content-Encoding} when not null). */
    public TelemetryAnswer varying(String vary, @Nullable String contentEncoding) {
        return new TelemetryAnswer(contentType, etag, dataAgeMs, vary, contentEncoding, body);
    }

    @Override
    public HttpStatusCode statusCode() {
        return HttpStatus.OK;
    }

    /** The answer's headers, built on each call: nothing on the request path calls this. */
    @Override
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        write(headers);
        return HttpHeaders.readOnlyHttpHeaders(headers);
    }

    @Override
    public MultiValueMap<String, ResponseCookie> cookies() {
        return NO_COOKIES;
    }

    @Override
    public Mono<Void> writeTo(ServerWebExchange exchange, Context context) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.OK);
        write(response.getHeaders());
        List<String> ifNoneMatch = exchange.getRequest().getHeaders().get(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && EntityTags.matches(ifNoneMatch, etag)) {
            response.setStatusCode(HttpStatus.NOT_MODIFIED);
            return response.setComplete();
        }
        if (HttpMethod.HEAD.equals(exchange.getRequest().getMethod())) {
            // the length the GET's body has, stated: Reactor Netty starts every answer as chunked, and
            // Spring measures a HEAD's body only for an answer that is not
            DataBuffer measured = body.apply(response.bufferFactory());
            response.getHeaders().setContentLength(measured.readableByteCount());
            DataBufferUtils.release(measured);
            return response.setComplete();
        }
        return response.writeWith(Mono.fromSupplier(() -> body.apply(response.bufferFactory())));
    }

    private void write(HttpHeaders headers) {
        headers.set(HttpHeaders.CONTENT_TYPE, contentType);
        headers.set(HttpHeaders.ETAG, etag);
        headers.set(HttpHeaders.CACHE_CONTROL, "no-cache");
        headers.set(DATA_AGE, Long.toString(dataAgeMs));
        if (vary != null) {
            headers.set(HttpHeaders.VARY, vary);
        }
        if (contentEncoding != null) {
            headers.set(HttpHeaders.CONTENT_ENCODING, contentEncoding);
        }
    }
}
