package io.wasmgateway.host;

import static io.wasmgateway.host.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The example filters (C deny filter, AssemblyScript SDK filter, ABI 0.1.0 WAT filter) through the public API. */
class ExampleFiltersTest {

    @Test
    void denyFilterRecordsItsLocalResponseWhichWinsOverPause() {
        try (ProxyWasmModule module = Fixtures.load("deny_filter")) {
            Plugin plugin = module.createPlugin("deny", utf8("path-prefix /admin"));
            FakeStreamHost stream = FakeStreamHost.get("/admin/users");
            HttpContext context = plugin.newHttpContext(stream);

            Decision decision = context.onRequestHeaders(true).toCompletableFuture().join();

            assertThat(decision).isInstanceOf(Decision.Respond.class);
            LocalResponse response = ((Decision.Respond) decision).response();
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.details()).isEqualTo("denied_by_wasm");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("denied by wasm\n");
            assertThat(response.headers()).containsExactly(Map.entry("x-denied-by", "deny_filter"));
            assertThat(response.grpcStatus()).isEqualTo(-1);
            // continuing after a local response is harmless, and nothing is left paused
            assertThat(context.resumption().toCompletableFuture().join()).isEqualTo(Decision.CONTINUE);
            context.finish().toCompletableFuture().join();
        }
    }

    @Test
    void denyFilterLetsOtherRequestsThrough() {
        try (ProxyWasmModule module = Fixtures.load("deny_filter")) {
            Plugin plugin = module.createPlugin("", utf8("path-prefix /admin"));
            HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/public"));
            assertThat(context.onRequestHeaders(true).toCompletableFuture().join()).isEqualTo(Decision.CONTINUE);
        }
    }

    @Test
    void assemblyScriptFilterReadsItsRootIdAndConfigurationThroughTheSdk() {
        try (ProxyWasmModule module = Fixtures.load("as_header_filter")) {
            assertThat(module.abiVersion()).isEqualTo(AbiVersion.V0_2_X);
            Plugin plugin = module.createPlugin("my-root", utf8("{\"k\":1}"));
            FakeStreamHost stream = FakeStreamHost.get("/");
            HttpContext context = plugin.newHttpContext(stream);

            assertThat(context.onRequestHeaders(true).toCompletableFuture().join()).isEqualTo(Decision.CONTINUE);
            assertThat(stream.requestHeaders().get("x-wasm-as")).isEqualTo("my-root");
            assertThat(stream.requestHeaders().get("x-wasm-as-config")).isEqualTo("{\"k\":1}");

            HeaderMap response = stream.respond(200);
            context.onResponseHeaders(true).toCompletableFuture().join();
            assertThat(response.get("x-wasm-as-response")).isEqualTo("yes");
            context.finish().toCompletableFuture().join();
        }
    }

    @Test
    void assemblyScriptFilterWorksWithoutRootId() {
        try (ProxyWasmModule module = Fixtures.load("as_header_filter")) {
            Plugin plugin = module.createPlugin(null, utf8("c"));
            assertThat(plugin.rootId()).isEmpty();
            FakeStreamHost stream = FakeStreamHost.get("/");
            plugin.newHttpContext(stream).onRequestHeaders(false).toCompletableFuture().join();
            assertThat(stream.requestHeaders().get("x-wasm-as")).isEmpty();
        }
    }

    @Test
    void abi010FilterGetsTwoArgumentCallbacksAndEmptyOkForMissingHeaders() {
        try (ProxyWasmModule module = Fixtures.load("abi_010_filter")) {
            assertThat(module.abiVersion()).isEqualTo(AbiVersion.V0_1_0);
            Plugin plugin = module.createPlugin("", new byte[0]);
            FakeStreamHost stream = FakeStreamHost.get("/");
            HttpContext context = plugin.newHttpContext(stream);

            context.onRequestHeaders(true).toCompletableFuture().join();
            assertThat(stream.requestHeaders().get("x-abi")).isEqualTo("0.1.0");
            assertThat(stream.requestHeaders().get("x-absent-status")).isEqualTo("0");
            assertThat(stream.requestHeaders().get("x-absent-size")).isEqualTo("0");

            HeaderMap response = stream.respond(204);
            context.onResponseHeaders(true).toCompletableFuture().join();
            assertThat(response.get("x-abi")).isEqualTo("0.1.0");
        }
    }
}
