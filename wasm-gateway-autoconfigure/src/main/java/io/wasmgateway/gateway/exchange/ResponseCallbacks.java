package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.HeaderMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * proxy_on_response_headers for a request's filters, last one first, each seeing the previous one's changes,
 * before the response is committed. Callbacks that run inline (the common case) run in a plain loop; the rest
 * follows when a pending one completes.
 */
final class ResponseCallbacks {

    private static final Logger log = LoggerFactory.getLogger(ResponseCallbacks.class);

    // shared and complete: nobody completes it again
    private static final CompletableFuture<Decision> CONTINUE = CompletableFuture.completedFuture(Decision.CONTINUE);

    private ResponseCallbacks() {
    }

    /**
     * Runs the callbacks once per request (later calls answer CONTINUE at once) and writes their changes to
     * the response.
     *
     * @return never failing: CONTINUE, or a {@link Decision.Respond} whose response replaces this one (a filter's
     *     local response, or the failure response when a filter trapped)
     */
    static CompletableFuture<Decision> run(ProxyWasmExchange exchange, ServerHttpResponse response,
            boolean endOfStream) {
        try {
            if (!exchange.startResponsePhase()) {
                return CONTINUE;
            }
            List<FilterStream> streams = exchange.responseOrder();
            if (streams.isEmpty()) {
                return CONTINUE;
            }
            HeaderMap headers = ResponseHeaders.from(response);
            exchange.responseHeaders(headers);
            return from(streams, 0, headers, response, endOfStream);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.completedFuture(failed(ex));
        }
    }

    /** The callbacks of {@code streams} from index {@code first} on. */
    private static CompletableFuture<Decision> from(List<FilterStream> streams, int first, HeaderMap headers,
            ServerHttpResponse response, boolean endOfStream) {
        for (int i = first; i < streams.size(); i++) {
            FilterStream stream = streams.get(i);
            CompletableFuture<Decision> decided = HostStages.headers(stream.context(), false, endOfStream);
            if (!decided.isDone()) {
                int next = i + 1;
                return decided.handle((decision, error) -> outcome(stream, decision, unwrap(error)))
                    .thenCompose(decision -> decision instanceof Decision.Respond
                            ? CompletableFuture.completedFuture(decision)
                            : from(streams, next, headers, response, endOfStream))
                    .exceptionally(error -> failed(unwrap(error)));
            }
            Throwable error = HostStages.failure(decided);
            Decision decision = outcome(stream, error == null ? decided.getNow(null) : null, error);
            if (decision instanceof Decision.Respond) {
                return CompletableFuture.completedFuture(decision);
            }
        }
        return CompletableFuture.completedFuture(applyChanges(headers, response));
    }

    /** The filter's decision; for a filter that failed, what its failure policy makes of it. */
    private static Decision outcome(FilterStream stream, Decision decision, Throwable error) {
        if (error == null) {
            return decision;
        }
        stream.markFailed();
        log.error("wasm module '{}' failed in its response callback ({}): {}", stream.module(),
                FailureAnswer.name(stream.policy()), error.toString());
        log.debug("wasm module '{}' failure", stream.module(), error);
        return FailureAnswer.responsePhase(stream.policy());
    }

    /** Never leave the response unwritten (and an upstream body unconsumed) because of us. */
    private static Decision failed(Throwable error) {
        log.error("running the wasm response callbacks failed: {}", error.toString());
        return new Decision.Respond(LocalResponses.failure());
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static Decision applyChanges(HeaderMap headers, ServerHttpResponse response) {
        try {
            ResponseHeaders.apply(headers, response);
            return Decision.CONTINUE;
        }
        catch (IllegalArgumentException ex) {
            log.error("a wasm filter set an invalid response header: {}", ex.getMessage());
            return new Decision.Respond(LocalResponses.failure());
        }
    }
}
