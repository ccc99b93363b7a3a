package io.fabrictelemetry.metrics.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Requests to the real server of a {@code RANDOM_PORT} test (Reactor Netty, not a mock exchange), with the JDK's client. */
public final class RealServerHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RealServerHttp() {
    }

    /** One request without a body; {@code headers} are name, value, name, value… */
    public static <T> HttpResponse<T> send(int port, String method, String target, HttpResponse.BodyHandler<T> body,
            String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(5)).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), body);
    }
}
