package io.wasmgateway.gateway.exchange;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/** Host callbacks as Monos. */
final class HostStages {

    private HostStages() {
    }

    /**
     * Calls the host when subscribed. Cancelling the Mono (a client that went away) does not cancel the host's
     * stage: the host owns it, and the request's contexts are finished separately.
     */
    static <T> Mono<T> mono(Supplier<? extends CompletionStage<? extends T>> call) {
        return Mono.defer(() -> Mono.fromFuture(call.get().toCompletableFuture(), true));
    }
}
