package io.wasmgateway.host.vm;

import io.wasmgateway.host.Decision;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Completed stages for callbacks that ran inline: the common outcomes share one stage each, made once, so a
 * request's callbacks usually allocate and complete no future. They are
 * {@link CompletableFuture#completedStage minimal stages}: nobody can complete or obtrude them, and
 * {@code toCompletableFuture()} gives each caller its own copy.
 */
public final class CompletedStages {

    /** The stage of a callback that returned nothing (finishing a context). */
    public static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);

    private static final CompletionStage<Decision> CONTINUE = CompletableFuture.completedStage(Decision.CONTINUE);
    private static final CompletionStage<Decision> PAUSE = CompletableFuture.completedStage(Decision.PAUSE);
    private static final CompletionStage<Decision> AWAIT_BODY = CompletableFuture.completedStage(Decision.AWAIT_BODY);

    private CompletedStages() {
    }

    @SuppressWarnings("unchecked")
    static <T> CompletionStage<T> of(T value) {
        Object stage = value == null ? DONE
                : value == Decision.CONTINUE ? CONTINUE
                : value == Decision.PAUSE ? PAUSE
                : value == Decision.AWAIT_BODY ? AWAIT_BODY
                : null;
        return stage != null ? (CompletionStage<T>) stage : CompletableFuture.completedStage(value);
    }
}
