package io.wasmgateway.gateway.exchange;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.HttpContext;
import reactor.core.publisher.Mono;

/**
 * Host callbacks for the gateway: as futures that are usually complete already (the callback ran inline, the
 * common case, which then needs no Reactor operator at all), or as Monos. Cancelling a Mono (a client that went
 * away) does not cancel the host's stage: the host owns it, and the request's contexts are finished separately.
 */
final class HostStages {

    private HostStages() {
    }

    /**
     * Calls the host when subscribed, going on on the request's event loop. A stage that is already complete
     * becomes a plain value: no future to subscribe to.
     */
    static <T> Mono<T> mono(FilterStream stream, Supplier<? extends CompletionStage<T>> call) {
        return Mono.defer(() -> mono(stream.onLoop(call.get().toCompletableFuture())));
    }

    /** The future as a Mono: a plain value when it is complete already. */
    private static <T> Mono<T> mono(CompletableFuture<? extends T> future) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return Mono.<T>justOrEmpty(future.getNow(null));
        }
        return Mono.fromFuture(future, true);
    }

    /**
     * A filter's decision on the request's or the response's headers: the callback's, or after a pause, the
     * resumption's. A callback that throws gives a failed future.
     */
    static CompletableFuture<Decision> headers(HttpContext context, boolean request, boolean endOfStream) {
        CompletableFuture<Decision> decided;
        try {
            decided = (request ? context.onRequestHeaders(endOfStream) : context.onResponseHeaders(endOfStream))
                .toCompletableFuture();
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        if (decided.isDone()) {
            return !decided.isCompletedExceptionally() && decided.getNow(null) instanceof Decision.Pause
                    ? resumption(context) : decided;
        }
        return decided.thenCompose(
                decision -> decision instanceof Decision.Pause ? resumption(context) : decided);
    }

    private static CompletableFuture<Decision> resumption(HttpContext context) {
        try {
            return context.resumption().toCompletableFuture();
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    /** Why a future that is done failed (unwrapped as Reactor unwraps it), or null when it did not. */
    static Throwable failure(CompletableFuture<?> done) {
        if (!done.isCompletedExceptionally()) {
            return null;
        }
        try {
            done.join();
            return null;
        }
        catch (CompletionException ex) {
            return ex.getCause() != null ? ex.getCause() : ex;
        }
        catch (CancellationException ex) {
            return ex;
        }
    }
}
