package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hostile fixture (filters/wat/hostile_filter.wat) on both engines: every kind of trap and a runaway loop
 * become a {@link WasmTrapException} on the calling thread, which is left without an interrupt, and the broken
 * instance is replaced by a fresh one that serves the next request.
 */
class HostileModuleTest {

    private static final ModuleLimits LIMITS = new ModuleLimits(Duration.ofMillis(100), Duration.ofSeconds(10), 4,
            FailurePolicy.FAIL_CLOSED);

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "COMPILER, L, ran past its execution budget of 100 ms",
        "INTERPRETER, L, ran past its execution budget of 100 ms",
        "COMPILER, R, call stack exhausted",
        "COMPILER, U, unreachable",
        "INTERPRETER, U, unreachable",
        "COMPILER, Z, divide by zero",
        "INTERPRETER, Z, divide by zero",
        "COMPILER, M, out of bounds",
        "INTERPRETER, M, out of bounds",
    })
    void aTrapFailsTheCallbackAndTheInstanceIsReplaced(Engine engine, String what, String reason) throws Exception {
        try (ProxyWasmModule module = load(engine)) {
            Plugin plugin = module.createPlugin("", Fixtures.utf8("--"));

            HttpContext hostile = plugin.newHttpContext(FakeStreamHost.get("/").header("x-hostile", "q" + what));
            Throwable failure = failure(hostile.onRequestHeaders(true).toCompletableFuture());

            assertThat(failure).isInstanceOf(WasmTrapException.class);
            assertThat(failure.getMessage().toLowerCase()).contains("proxy_on_request_headers", reason.toLowerCase());
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt left on the caller").isFalse();
            awaitReplaced(module, 1);
            assertThat(module.brokenInstanceCount()).isZero();

            HttpContext next = plugin.newHttpContext(FakeStreamHost.get("/"));
            assertThat(next.onRequestHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            // the old context is finished without its guest calls; the new one normally
            hostile.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
            next.finish().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void memoryGrowStopsAtMaxMemory() throws Exception {
        try (ProxyWasmModule module = load(Engine.COMPILER)) {
            Plugin plugin = module.createPlugin("", Fixtures.utf8("--"));
            FakeStreamHost stream = FakeStreamHost.get("/").header("x-hostile", "qG");

            HttpContext context = plugin.newHttpContext(stream);

            assertThat(context.onRequestHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            assertThat(stream.requestHeaders().get("x-grown-pages")).isEqualTo("4");
            assertThat(module.replacedInstanceCount()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "qP", "qA" })
    void badPointersAndABogusAllocatorGetInvalidMemoryAccess(String mode) throws Exception {
        try (ProxyWasmModule module = load(Engine.COMPILER)) {
            Plugin plugin = module.createPlugin("", Fixtures.utf8("--"));
            FakeStreamHost stream = FakeStreamHost.get("/").header("x-hostile", mode);

            HttpContext context = plugin.newHttpContext(stream);

            assertThat(context.onRequestHeaders(true).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(Decision.CONTINUE);
            assertThat(stream.requestHeaders().get("x-host-status")).isEqualTo("6");
        }
    }

    @Test
    void aLoopInProxyOnConfigureFailsThePluginWithinTheStartBudget() {
        ModuleLimits limits = new ModuleLimits(Duration.ofMillis(100), Duration.ofMillis(300), 4,
                FailurePolicy.FAIL_CLOSED);
        try (ProxyWasmModule module = ProxyWasmModule.load(spec(Engine.COMPILER, limits))) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(
                    () -> module.createPlugin("", Fixtures.utf8("cL")));

            assertThat(failure).isInstanceOf(ModuleLoadException.class)
                .hasMessageContaining("proxy_on_configure")
                .hasMessageContaining("ran past its execution budget of 300 ms");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    private static ProxyWasmModule load(Engine engine) {
        return ProxyWasmModule.load(spec(engine, LIMITS));
    }

    private static ModuleSpec spec(Engine engine, ModuleLimits limits) {
        return new ModuleSpec("hostile", "classpath:filters/hostile_filter.wasm", Fixtures.bytes("hostile_filter"),
                engine, "hostile", new byte[0], Map.of(), 1, limits);
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> stage) throws Exception {
        try {
            stage.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the callback did not fail");
    }

    private static void awaitReplaced(ProxyWasmModule module, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (module.replacedInstanceCount() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(module.replacedInstanceCount()).isEqualTo(count);
    }
}
