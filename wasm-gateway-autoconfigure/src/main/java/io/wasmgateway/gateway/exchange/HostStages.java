package io.wasmgateway.gateway.exchange;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/** Host callbacks as Monos. */
final class HostStages {

    private HostStages() {
    }

    /**
     * Calls the host when subscribed. Cancelling the Mono (a client that went away) does not cancel the host's
     * stage: the host owns it, and the request's contexts are finished separately. A stage that is already
     * complete (the callback ran inline, the common case) becomes a plain value: no future to subscribe to.
     */
    static <T> Mono<T> mono(Supplier<? extends CompletionStage<? extends T>> call) {
        return Mono.defer(() -> {
            CompletableFuture<? extends T> future = call.get().toCompletableFuture();
            if (future.isDone() && !future.isCompletedExceptionally()) {
                return Mono.<T>justOrEmpty(future.getNow(null));
            }
            return Mono.fromFuture(future, true);
        });
    }
}
