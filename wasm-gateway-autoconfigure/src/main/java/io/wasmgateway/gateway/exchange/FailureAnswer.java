package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.FailurePolicy;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * What a request gets when one of its filters fails (a trap, a callback past its budget, a module that could not
 * be used), by the module's failure policy: fail-open skips the filter, the other policies answer with the
 * gateway's failure response (503) instead of anything else.
 */
final class FailureAnswer {

    private FailureAnswer() {
    }

    static boolean skipsFilter(FailurePolicy policy) {
        return policy == FailurePolicy.FAIL_OPEN;
    }

    /**
     * In the request phase: the request goes on without the filter ({@code goOn}), or the client gets the failure
     * response and no filter sees it.
     */
    static Mono<Void> requestPhase(FailurePolicy policy, ProxyWasmExchange state, ServerWebExchange exchange,
            Mono<Void> goOn) {
        if (skipsFilter(policy)) {
            return goOn;
        }
        if (state != null) {
            state.skipResponsePhase();
        }
        return LocalResponses.write(exchange.getResponse(), LocalResponses.failure(), false);
    }

    /** In the response phase: the response goes on as the other filters leave it, or is replaced by the failure response. */
    static Decision responsePhase(FailurePolicy policy) {
        return skipsFilter(policy) ? Decision.CONTINUE : new Decision.Respond(LocalResponses.failure());
    }

    /** For log lines: fail-closed, fail-open, fail-reload. */
    static String name(FailurePolicy policy) {
        return policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
