package io.wasmgateway.gateway.exchange;

import java.util.List;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.HeaderMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * proxy_on_response_headers for a request's filters, last one first, each seeing the previous one's changes,
 * before the response is committed.
 */
final class ResponseCallbacks {

    private static final Logger log = LoggerFactory.getLogger(ResponseCallbacks.class);

    private ResponseCallbacks() {
    }

    /**
     * Runs the callbacks once per request (later calls answer CONTINUE at once) and writes their changes to
     * the response.
     *
     * @return CONTINUE, or a {@link Decision.Respond} whose response replaces this one (a filter's local
     *     response, or the failure response when a filter trapped)
     */
    static Mono<Decision> run(ProxyWasmExchange exchange, ServerHttpResponse response, boolean endOfStream) {
        return Mono.defer(() -> {
            if (!exchange.startResponsePhase()) {
                return Mono.just(Decision.CONTINUE);
            }
            List<FilterStream> streams = exchange.responseOrder();
            if (streams.isEmpty()) {
                return Mono.just(Decision.CONTINUE);
            }
            HeaderMap headers = ResponseHeaders.from(response);
            exchange.responseHeaders(headers);
            return Flux.fromIterable(streams)
                .concatMap(stream -> decide(stream, endOfStream))
                .filter(decision -> decision instanceof Decision.Respond)
                .next()
                .switchIfEmpty(Mono.fromCallable(() -> applyChanges(headers, response)));
        }).onErrorResume(error -> {
            // never leave the response unwritten (and an upstream body unconsumed) because of us
            log.error("running the wasm response callbacks failed: {}", error.toString());
            return Mono.just(new Decision.Respond(LocalResponses.failure()));
        });
    }

    private static Mono<Decision> decide(FilterStream stream, boolean endOfStream) {
        return HostStages.mono(() -> stream.context().onResponseHeaders(endOfStream))
            .flatMap(decision -> decision instanceof Decision.Pause
                    ? HostStages.mono(() -> stream.context().resumption()) : Mono.just(decision))
            .onErrorResume(error -> {
                stream.markFailed();
                log.error("wasm module '{}' failed in its response callback ({}): {}", stream.module(),
                        FailureAnswer.name(stream.policy()), error.toString());
                log.debug("wasm module '{}' failure", stream.module(), error);
                return Mono.just(FailureAnswer.responsePhase(stream.policy()));
            });
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
