package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmgateway.host.Decision;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class CompletedStagesTest {

    @Test
    void commonDecisionsShareOneFutureThatNobodyCanChange() {
        CompletableFuture<Decision> shared = CompletedStages.of(Decision.CONTINUE).toCompletableFuture();
        assertThat(CompletedStages.of(Decision.CONTINUE).toCompletableFuture()).isSameAs(shared);

        assertThat(shared.complete(Decision.PAUSE)).isFalse();
        assertThat(shared.completeExceptionally(new IllegalStateException())).isFalse();
        assertThat(shared.cancel(true)).isFalse();
        assertThatThrownBy(() -> shared.obtrudeValue(Decision.PAUSE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> shared.obtrudeException(new IllegalStateException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(shared.getNow(null)).isSameAs(Decision.CONTINUE);
        assertThat(CompletedStages.DONE.toCompletableFuture().isDone()).isTrue();
    }

    @Test
    void dependentStagesAreOrdinaryFutures() {
        CompletableFuture<String> dependent = CompletedStages.of(Decision.PAUSE).thenApply(String::valueOf)
                .toCompletableFuture();
        assertThat(dependent.getNow(null)).isEqualTo(String.valueOf(Decision.PAUSE));
        dependent.obtrudeValue("changed"); // its own future: changing it leaves the shared one alone
        assertThat(CompletedStages.of(Decision.PAUSE).toCompletableFuture().getNow(null)).isSameAs(Decision.PAUSE);
    }
}
