package io.fabrictelemetry.metrics.ingest;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Mono;

/**
 * One exchange with the generator. The seam between the poll loop and the network: loop tests
 * pass a fake. Errors are signalled, never thrown.
 */
@FunctionalInterface
interface CountersFetcher {

    /**
     * @param etag the generator ETag of the current snapshot, sent as {@code If-None-Match}
     * @return the body, or {@link FetchResult.NotModified}; an error for any other outcome
     */
    Mono<FetchResult> fetch(@Nullable String etag);
}
