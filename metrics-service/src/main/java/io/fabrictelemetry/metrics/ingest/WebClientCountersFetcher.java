package io.fabrictelemetry.metrics.ingest;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.context.Context;

/**
 * Fetches {@code /counters} with a WebClient of its own: a dedicated small connection pool, a
 * connect timeout, and a body size limit enforced while reading. The limit on the whole exchange
 * (connect, headers and the entire body) is applied by {@link PollLoop} around each fetch.
 */
@Component
class WebClientCountersFetcher implements CountersFetcher, DisposableBean {

    private static final List<MediaType> ACCEPTED = List.of(MediaType.parseMediaType("text/csv"),
            MediaType.TEXT_PLAIN, MediaType.parseMediaType("application/csv"));

    /** Reactor's context key for a subscription-local dropped-error hook (Hooks.KEY_ON_ERROR_DROPPED). */
    private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";
    private static final Logger log = LoggerFactory.getLogger(WebClientCountersFetcher.class);

    private final ConnectionProvider pool;
    private final WebClient client;
    private final String url;
    private final DataSize maxBytes;

    WebClientCountersFetcher(WebClient.Builder builder, GeneratorProperties generator, PollProperties poll) {
        this.url = generator.countersUrl();
        this.maxBytes = poll.maxBytes();
        this.pool = ConnectionProvider.builder("generator")
                .maxConnections(2)
                // drop idle connections before a generator or proxy would, and never reuse stale ones
                .maxIdleTime(Duration.ofSeconds(20))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, poll.timeout().toMillis()))
                // a gap limit between reads; the whole-exchange limit is PollLoop's timeout
                .responseTimeout(poll.timeout());
        this.client = builder.clone()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize((int) maxBytes.toBytes()))
                .build();
        // Loads and initialises the client's event loop, resolver and codecs in the background while
        // the rest of the context starts, so that the first poll (made as soon as the server listens)
        // does not pay for them: the first snapshot of a restarting service arrives that much sooner.
        http.warmup().subscribeOn(Schedulers.boundedElastic())
                .subscribe(done -> { }, error -> log.debug("HTTP client warm-up failed: {}", error.toString()));
    }

    /** The client's own connection pool. */
    ConnectionProvider pool() {
        return pool;
    }

    /**
     * Closes the pool's connections and ends its background eviction task, which would otherwise
     * outlive the bean (one per fetcher created). Runs after {@link PollLoop} has stopped polling.
     */
    @Override
    public void destroy() {
        pool.dispose();
    }

    @Override
    public Mono<FetchResult> fetch(@Nullable String etag) {
        return client.get().uri(url)
                .headers(headers -> {
                    headers.setAccept(ACCEPTED);
                    if (etag != null) {
                        headers.setIfNoneMatch(etag);
                    }
                })
                .exchangeToMono(this::read)
                // When PollLoop's timeout cancels a poll mid-body, WebClient reports the released body
                // as a dropped error; the timeout is already recorded, so keep it out of the ERROR log.
                .contextWrite(Context.of(ON_ERROR_DROPPED, (Consumer<Throwable>) dropped ->
                        log.debug("Error after the poll was cancelled: {}", dropped.toString())));
    }

    private Mono<FetchResult> read(ClientResponse response) {
        int status = response.statusCode().value();
        if (status == 304) {
            return response.releaseBody().thenReturn(new FetchResult.NotModified());
        }
        if (status < 200 || status > 299) {
            return discard(response, new GeneratorHttpException(status));
        }
        MediaType type = response.headers().contentType().orElse(null);
        if (type != null && ACCEPTED.stream().noneMatch(accepted -> accepted.includes(type))) {
            return discard(response, new PayloadRejectedException("Content-Type " + type + " is not CSV"));
        }
        long announced = response.headers().contentLength().orElse(-1);
        if (announced > maxBytes.toBytes()) {
            return discard(response, new PayloadTooLargeException(maxBytes));
        }
        String etag = response.headers().asHttpHeaders().getETag();
        String sampledAt = response.headers().asHttpHeaders().getFirst("X-Sampled-At");
        return response.bodyToMono(byte[].class)
                .onErrorMap(DataBufferLimitException.class, e -> new PayloadTooLargeException(maxBytes))
                .switchIfEmpty(Mono.error(() -> new PayloadRejectedException("empty body")))
                .map(body -> new FetchResult.Fetched(body, etag, sampledAt, type == null ? null : type.toString(), status));
    }

    /** Stops reading after the first chunk: cancelling closes the connection instead of draining it. */
    private static Mono<FetchResult> discard(ClientResponse response, RuntimeException failure) {
        return response.bodyToFlux(DataBuffer.class)
                .take(1)
                .doOnNext(DataBufferUtils::release)
                .then(Mono.error(failure));
    }
}
