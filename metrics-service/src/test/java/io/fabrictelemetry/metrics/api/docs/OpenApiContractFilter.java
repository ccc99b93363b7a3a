package io.fabrictelemetry.metrics.api.docs;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Puts every answer a WebTestClient receives from the API through {@link OpenApiContract}: the
 * document is fetched once from the application's own {@code /v3/api-docs}, each response body is
 * read, checked and handed on unchanged. A violation fails the test that made the request. Event
 * streams are checked by status and headers only (their bodies never end).
 */
final class OpenApiContractFilter implements ExchangeFilterFunction {

    private static final String WEB_TEST_CLIENT_REQUEST_ID = "WebTestClient-Request-Id";

    private final AtomicReference<OpenApiContract> contract = new AtomicReference<>();

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        String path = request.url().getRawPath();
        if (!OpenApiContract.inScope(path)) {
            return next.exchange(request);
        }
        return contract(request, next).flatMap(contract -> next.exchange(request).flatMap(response -> {
            MediaType type = response.headers().contentType().orElse(null);
            if (type != null && type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM)) {
                check(contract, request, response, new byte[0]);
                return Mono.just(response);
            }
            return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(body -> {
                check(contract, request, response, body);
                Flux<DataBuffer> again = body.length == 0 ? Flux.empty()
                        : Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body));
                return response.mutate().body(again).build();
            });
        }));
    }

    private static void check(OpenApiContract contract, ClientRequest request, ClientResponse response, byte[] body) {
        var exchange = new OpenApiContract.Exchange(request.method().name(), request.url().getRawPath(),
                response.statusCode().value(), response.headers().asHttpHeaders(), body);
        List<String> violations = contract.violations(exchange);
        if (!violations.isEmpty()) {
            throw new AssertionError("The answer departs from the published OpenAPI document (/v3/api-docs):\n  "
                    + String.join("\n  ", violations));
        }
    }

    private Mono<OpenApiContract> contract(ClientRequest request, ExchangeFunction next) {
        OpenApiContract known = contract.get();
        if (known != null) {
            return Mono.just(known);
        }
        // WebTestClient's connector records every exchange under this header; give the document's its own
        String id = request.headers().getFirst(WEB_TEST_CLIENT_REQUEST_ID);
        ClientRequest docs = ClientRequest.create(HttpMethod.GET, request.url().resolve("/v3/api-docs"))
                .headers(headers -> {
                    if (id != null) {
                        headers.set(WEB_TEST_CLIENT_REQUEST_ID, id + "-openapi");
                    }
                })
                .build();
        return next.exchange(docs)
                .flatMap(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(String.class)
                        : Mono.error(new AssertionError("/v3/api-docs answered " + response.statusCode())))
                .map(OpenApiContract::of)
                .doOnNext(contract::set);
    }
}
