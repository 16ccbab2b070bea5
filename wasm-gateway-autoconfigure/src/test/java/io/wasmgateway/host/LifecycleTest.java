package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pause and resumption, local responses, traps and the finishing callbacks (fixture host_lifecycle.wat). */
class LifecycleTest {

    private final ProxyWasmModule module = Fixtures.load("host_lifecycle");
    private final Plugin plugin = module.createPlugin("", new byte[0]);

    @AfterEach
    void close() {
        module.close();
    }

    @Test
    void aPausedRequestResumesWhenAnotherContextContinuesIt() {
        HttpContext paused = plugin.newHttpContext(FakeStreamHost.get("/slow"));
        assertThat(join(paused.onRequestHeaders(true))).isEqualTo(Decision.PAUSE);
        CompletableFuture<Decision> resumption = paused.resumption().toCompletableFuture();
        assertThat(resumption).isNotDone();

        HttpContext resumer = plugin.newHttpContext(FakeStreamHost.get("/").header("x-resume", "1"));
        CompletableFuture<Decision> resumerStage = resumer.onRequestHeaders(true).toCompletableFuture();
        AtomicBoolean resumerDoneFirst = new AtomicBoolean();
        CompletableFuture<Decision> observed = resumption.whenComplete(
                (decision, error) -> resumerDoneFirst.set(resumerStage.isDone()));

        assertThat(join(resumerStage)).isEqualTo(Decision.CONTINUE);
        assertThat(join(observed)).isEqualTo(Decision.CONTINUE);
        // completed after the callback that asked for it returned, not inside it
        assertThat(resumerDoneFirst).isTrue();
    }

    @Test
    void aLocalResponseSentForAPausedRequestResumesItWithThatResponse() {
        HttpContext paused = plugin.newHttpContext(FakeStreamHost.get("/slow"));
        assertThat(join(paused.onRequestHeaders(false))).isEqualTo(Decision.PAUSE);

        HttpContext other = plugin.newHttpContext(FakeStreamHost.get("/").header("x-respond-paused", "1"));
        assertThat(join(other.onRequestHeaders(true))).isEqualTo(Decision.CONTINUE);

        Decision decision = join(paused.resumption());
        assertThat(decision).isInstanceOf(Decision.Respond.class);
        LocalResponse response = ((Decision.Respond) decision).response();
        assertThat(response.status()).isEqualTo(429);
        assertThat(response.details()).isEqualTo("slow_down");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("later\n");
        assertThat(response.headers()).isEmpty();
    }

    @Test
    void aContinueDuringTheCallbackThatPausesResumesRightAfterIt() {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/").header("x-continue-then-pause", "1"));
        assertThat(join(context.onRequestHeaders(true))).isEqualTo(Decision.PAUSE);
        assertThat(context.resumption().toCompletableFuture()).isCompletedWithValue(Decision.CONTINUE);
    }

    @Test
    void aLocalResponseWinsOverTheCallbacksReturnValue() {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/").header("x-respond-then-continue", "1"));
        Decision decision = join(context.onRequestHeaders(true));
        assertThat(decision).isInstanceOf(Decision.Respond.class);
        assertThat(((Decision.Respond) decision).response().status()).isEqualTo(401);
    }

    @Test
    void stopAllIterationPausesToo() {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/").header("x-stop-all", "1"));
        assertThat(join(context.onRequestHeaders(true))).isEqualTo(Decision.PAUSE);
    }

    @Test
    void closingTheStreamAnswersWithA502() {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/").header("x-close", "1"));
        Decision decision = join(context.onRequestHeaders(true));
        assertThat(decision).isInstanceOf(Decision.Respond.class);
        assertThat(((Decision.Respond) decision).response().status()).isEqualTo(502);
        assertThat(((Decision.Respond) decision).response().details()).isEqualTo("closed_by_wasm");
    }

    @Test
    void anUnknownEffectiveContextIsABadArgument() {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/").header("x-bad-effective", "1"));
        assertThat(join(context.onRequestHeaders(true))).isEqualTo(Decision.CONTINUE); // the guest traps otherwise
    }

    @Test
    void theResponsePhaseCanPauseAndBeResumed() {
        FakeStreamHost stream = FakeStreamHost.get("/").header("x-continue-then-pause", "1");
        HttpContext context = plugin.newHttpContext(stream);
        join(context.onRequestHeaders(true));
        stream.respond(200).add("x-pause", "1");
        assertThat(join(context.onResponseHeaders(true))).isEqualTo(Decision.PAUSE);
        CompletableFuture<Decision> resumption = context.resumption().toCompletableFuture();
        assertThat(resumption).isNotDone();
        // a request-stream continue does not resume a paused response
        plugin.newHttpContext(FakeStreamHost.get("/").header("x-resume", "1")).onRequestHeaders(true);
        assertThat(resumption).isNotDone();
    }

    @Test
    void resumptionIsAnAlreadyCompletedContinueWhenNothingIsPaused() {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/").header("x-bad-effective", "1"));
        join(context.onRequestHeaders(true));
        assertThat(context.resumption().toCompletableFuture()).isCompletedWithValue(Decision.CONTINUE);
    }

    @Test
    void finishRunsDoneLogAndDeleteOnceInOrder() {
        FakeStreamHost stream = FakeStreamHost.get("/").header("x-bad-effective", "1");
        HttpContext context = plugin.newHttpContext(stream);
        join(context.onRequestHeaders(true));

        CompletableFuture<Void> first = context.finish().toCompletableFuture();
        CompletableFuture<Void> second = context.finish().toCompletableFuture();
        join(first);
        join(second);

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(stream.propertySets()).containsExactly("trace=create", "trace=done", "trace=log", "trace=delete");
    }

    @Test
    void finishWithoutAnyCallbackStillCreatesAndFinishesTheContext() {
        FakeStreamHost stream = FakeStreamHost.get("/");
        join(plugin.newHttpContext(stream).finish());
        assertThat(stream.propertySets()).containsExactly("trace=create", "trace=done", "trace=log", "trace=delete");
    }

    @Test
    void callbacksAfterFinishAskTheFilterNothing() {
        FakeStreamHost stream = FakeStreamHost.get("/"); // would pause
        HttpContext context = plugin.newHttpContext(stream);
        join(context.finish());
        assertThat(join(context.onRequestHeaders(true))).isEqualTo(Decision.CONTINUE);
    }

    @Test
    void aTrapFailsTheStageAndThePausedRequestsOfItsInstanceAndFinishSkipsTheGuest() {
        HttpContext paused = plugin.newHttpContext(FakeStreamHost.get("/slow"));
        assertThat(join(paused.onRequestHeaders(true))).isEqualTo(Decision.PAUSE);

        FakeStreamHost stream = FakeStreamHost.get("/").header("x-trap", "1");
        HttpContext trapping = plugin.newHttpContext(stream);
        assertThatThrownBy(() -> join(trapping.onRequestHeaders(true)))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WasmTrapException.class)
                .hasMessageStartingWith("wasm module 'host_lifecycle' trapped in proxy_on_request_headers: ");

        // a request paused on the broken instance does not wait forever
        assertThatThrownBy(() -> join(paused.resumption())).cause().isInstanceOf(WasmTrapException.class);
        // finishing is safe and skips the guest
        join(trapping.finish());
        assertThat(stream.propertySets()).containsExactly("trace=create");
    }

    @Test
    void endlessRecursionIsContainedAsATrap() {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/").header("x-recurse", "1"));
        assertThatThrownBy(() -> join(context.onRequestHeaders(true)))
                .cause().isInstanceOf(WasmTrapException.class)
                .hasMessageStartingWith("wasm module 'host_lifecycle' trapped in proxy_on_request_headers: "
                        + "call stack exhausted");
        join(context.finish());
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
