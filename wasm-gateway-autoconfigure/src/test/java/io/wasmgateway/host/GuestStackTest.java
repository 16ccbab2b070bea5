package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

/** A trap's message names the guest functions on the stack (filters/wat/host_trap_named.wat). */
class GuestStackTest {

    @Test
    void namesTheGuestFunctionsOnTheStackInnermostFirstFromTheNameSection() {
        try (ProxyWasmModule module = Fixtures.load("host_trap_named")) {
            HttpContext context = module.createPlugin("", new byte[0]).newHttpContext(FakeStreamHost.get("/"));
            assertThatThrownBy(() -> context.onRequestHeaders(true).toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WasmTrapException.class)
                    .hasMessageStartingWith("wasm module 'host_trap_named' trapped in proxy_on_request_headers: ")
                    .hasMessageEndingWith("(guest stack: inner <- middle <- on_request_headers)");
            context.finish().toCompletableFuture().join();
        }
    }

    @Test
    void namesFunctionsByIndexWithoutANameSection() {
        try (ProxyWasmModule module = Fixtures.load("hostile_filter")) {
            HttpContext context = module.createPlugin("", Fixtures.utf8("--"))
                    .newHttpContext(FakeStreamHost.get("/").header("x-hostile", "qU"));
            assertThatThrownBy(() -> context.onRequestHeaders(true).toCompletableFuture().join())
                    .cause().isInstanceOf(WasmTrapException.class)
                    .hasMessageContaining("(guest stack: #");
            context.finish().toCompletableFuture().join();
        }
    }
}
