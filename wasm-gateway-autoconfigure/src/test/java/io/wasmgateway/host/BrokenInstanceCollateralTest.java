package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What a trap costs the other requests of its VM instance (the hostile fixture, one instance): a request with
 * callbacks run on the broken instance fails with it; one that had not started there starts on the replacement.
 * And recycling: a request open on an instance being recycled finishes on it.
 */
class BrokenInstanceCollateralTest {

    private static final ModuleLimits LIMITS = new ModuleLimits(Duration.ofMillis(100), Duration.ofSeconds(10), 4,
            FailurePolicy.FAIL_CLOSED);

    @Test
    void aRequestThatHadNotStartedOnTheBrokenInstanceStartsOnItsReplacement() throws Exception {
        try (ProxyWasmModule module = ProxyWasmModule.load(spec(LIMITS))) {
            Plugin plugin = module.createPlugin("", Fixtures.utf8("--"));
            HttpContext innocent = plugin.newHttpContext(FakeStreamHost.get("/"));
            HttpContext hostile = plugin.newHttpContext(FakeStreamHost.get("/").header("x-hostile", "qU"));

            assertThat(failure(hostile.onRequestHeaders(true))).isInstanceOf(WasmTrapException.class);

            assertThat(innocent.onRequestHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            assertThat(module.replacedInstanceCount()).isEqualTo(1);
            assertThat(innocent.onResponseHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            innocent.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
            hostile.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(module.instanceStats().get(0).open()).isZero();
        }
    }

    @Test
    void aRequestWhoseCallbacksRanOnTheBrokenInstanceFailsWithIt() throws Exception {
        try (ProxyWasmModule module = ProxyWasmModule.load(spec(LIMITS))) {
            Plugin plugin = module.createPlugin("", Fixtures.utf8("--"));
            HttpContext started = plugin.newHttpContext(FakeStreamHost.get("/"));
            assertThat(started.onRequestHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            HttpContext hostile = plugin.newHttpContext(FakeStreamHost.get("/").header("x-hostile", "qU"));

            assertThat(failure(hostile.onRequestHeaders(true))).isInstanceOf(WasmTrapException.class);

            assertThat(failure(started.onResponseHeaders(true))).isInstanceOf(WasmTrapException.class)
                .hasMessageContaining("cannot run proxy_on_response_headers: its VM instance broke on an earlier trap");
            started.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
            hostile.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRequestOpenOnARecycledInstanceFinishesThereWhileNewOnesGoToTheFreshOne() throws Exception {
        try (ProxyWasmModule module = ProxyWasmModule.load(spec(LIMITS.withRecycling(3, 0)))) {
            Plugin plugin = module.createPlugin("", Fixtures.utf8("--"));
            HttpContext open = plugin.newHttpContext(FakeStreamHost.get("/"));
            assertThat(open.onRequestHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            for (int i = 0; i < 2; i++) { // the third context makes the instance due
                request(plugin);
            }
            awaitRecycled(module, 1);

            request(plugin);
            assertThat(module.instanceStats().get(0).requests()).isEqualTo(1);
            assertThat(open.onResponseHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            open.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(module.replacedInstanceCount()).isZero();
        }
    }

    private static void request(Plugin plugin) throws Exception {
        HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/"));
        assertThat(context.onRequestHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
            .isEqualTo(Decision.CONTINUE);
        context.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static ModuleSpec spec(ModuleLimits limits) {
        return new ModuleSpec("hostile", "classpath:filters/hostile_filter.wasm", Fixtures.bytes("hostile_filter"),
                Engine.COMPILER, "hostile", new byte[0], Map.of(), 1, limits);
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the callback did not fail");
    }

    private static void awaitRecycled(ProxyWasmModule module, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (module.recycledInstanceCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(module.recycledInstanceCount()).isEqualTo(count);
    }
}
