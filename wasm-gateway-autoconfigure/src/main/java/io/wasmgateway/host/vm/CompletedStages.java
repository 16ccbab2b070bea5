package io.wasmgateway.host.vm;

import io.wasmgateway.host.Decision;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Completed stages for callbacks that ran inline: the common outcomes share one future each, made once, so a
 * request's callbacks usually allocate and complete no future, and {@code toCompletableFuture()} copies
 * nothing. Sharing is safe because a completed future can no longer be completed, and the only ways to change
 * its outcome, {@code obtrudeValue} and {@code obtrudeException}, are refused.
 */
public final class CompletedStages {

    /** The stage of a callback that returned nothing (finishing a context). */
    public static final CompletionStage<Void> DONE = new Shared<>(null);

    /** A finish that was (or was not) the one to end its context. */
    static final CompletionStage<Boolean> TRUE = new Shared<>(Boolean.TRUE);
    static final CompletionStage<Boolean> FALSE = new Shared<>(Boolean.FALSE);

    private static final CompletionStage<Decision> CONTINUE = new Shared<>(Decision.CONTINUE);
    private static final CompletionStage<Decision> PAUSE = new Shared<>(Decision.PAUSE);
    private static final CompletionStage<Decision> AWAIT_BODY = new Shared<>(Decision.AWAIT_BODY);

    private CompletedStages() {
    }

    @SuppressWarnings("unchecked")
    static <T> CompletionStage<T> of(T value) {
        Object stage = value == null ? DONE
                : value == Decision.CONTINUE ? CONTINUE
                : value == Decision.PAUSE ? PAUSE
                : value == Decision.AWAIT_BODY ? AWAIT_BODY
                : value == Boolean.TRUE ? TRUE
                : value == Boolean.FALSE ? FALSE
                : null;
        return stage != null ? (CompletionStage<T>) stage : CompletableFuture.completedFuture(value);
    }

    /** A future completed once, at construction, whose outcome nobody can replace. */
    private static final class Shared<T> extends CompletableFuture<T> {

        Shared(T value) {
            super.complete(value);
        }

        @Override
        public void obtrudeValue(T value) {
            throw new UnsupportedOperationException("a shared completed stage cannot change its value");
        }

        @Override
        public void obtrudeException(Throwable error) {
            throw new UnsupportedOperationException("a shared completed stage cannot change its value");
        }
    }
}
