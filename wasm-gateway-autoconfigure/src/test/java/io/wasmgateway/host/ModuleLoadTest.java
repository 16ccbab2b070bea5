package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Loading and validating modules: ABI detection, load errors that name module, location and reason. */
class ModuleLoadTest {

    @Test
    void detectsAbi010() {
        try (ProxyWasmModule module = Fixtures.load("abi_010_filter")) {
            assertThat(module.abiVersion()).isEqualTo(AbiVersion.V0_1_0);
            assertThat(module.abiVersion().isLegacy()).isTrue();
        }
    }

    @Test
    void detectsAbi020AsAbi02x() {
        try (ProxyWasmModule module = Fixtures.load("as_header_filter")) {
            assertThat(module.abiVersion()).isEqualTo(AbiVersion.V0_2_X);
        }
    }

    @Test
    void detectsAbi021() {
        try (ProxyWasmModule module = Fixtures.load("header_filter")) {
            assertThat(module.abiVersion()).isEqualTo(AbiVersion.V0_2_X);
            assertThat(module.name()).isEqualTo("header_filter");
            assertThat(module.instanceCount()).isEqualTo(1);
        }
    }

    @Test
    void refusesAModuleWithoutAbiMarker() {
        assertLoadError("no_abi_marker", "no ABI version marker");
    }

    @Test
    void refusesAnUnknownAbiMarker() {
        assertLoadError("unknown_abi", "unsupported Proxy-Wasm ABI version");
    }

    @Test
    void refusesBytesThatAreNotWasm() {
        ModuleSpec spec = new ModuleSpec("junk", "file:/tmp/junk.wasm", new byte[] {1, 2, 3, 4}, Engine.COMPILER,
                "junk", new byte[0], Map.of(), 1);
        assertThatThrownBy(() -> ProxyWasmModule.load(spec)).isInstanceOf(ModuleLoadException.class)
                .hasMessageStartingWith("wasm module 'junk' (file:/tmp/junk.wasm): not a valid wasm binary");
    }

    @Test
    void refusesAModuleWithoutAllocator() {
        assertLoadError("host_no_allocator", "exports no allocator (proxy_on_memory_allocate or malloc)");
    }

    @Test
    void refusesAModuleWithoutExportedMemory() {
        assertLoadError("host_no_memory", "exports no memory");
    }

    @Test
    void namesAnUnknownHostFunction() {
        assertLoadError("host_unknown_import", "imports unknown host function env.proxy_frobnicate");
    }

    @Test
    void namesAnUnknownImportModule() {
        assertLoadError("host_unknown_module", "imports acme.launch from unknown module 'acme'");
    }

    @Test
    void namesAHostFunctionImportedWithTheWrongSignature() {
        assertLoadError("host_bad_signature", "imports env.proxy_log with signature");
    }

    @Test
    void refusesCallbacksExportedWithTheWrongSignatureNamingEach() {
        // proxy-wasm-cpp-host: "Bad function signature for: <export>, want: ... but the module exports: ..."
        assertLoadError("host_bad_callback_signature", "bad function signature for: proxy_on_done, want: [I32] -> [I32], "
                + "but the module exports: [I32] -> []; proxy_on_request_headers, want: [I32, I32, I32] -> [I32], "
                + "but the module exports: [I32, I32] -> [I32]");
    }

    @Test
    void namesATrappingStartFunction() {
        assertLoadError("host_start_traps", "start function _initialize trapped");
    }

    @Test
    void linksEveryHostFunctionOfBothAbiVersionsAndWasi() {
        try (ProxyWasmModule module = Fixtures.load("imports_everything")) {
            Plugin plugin = module.createPlugin("", new byte[0]);
            HttpContext context = plugin.newHttpContext(FakeStreamHost.get("/"));
            assertThat(context.onRequestHeaders(true).toCompletableFuture().join()).isEqualTo(Decision.CONTINUE);
            context.finish().toCompletableFuture().join();
        }
    }

    @Test
    void linksVoidDeclaredContinueFunctionsOfOldBinaries() {
        try (ProxyWasmModule module = Fixtures.load("host_void_continue")) {
            HttpContext context = module.createPlugin("", new byte[0]).newHttpContext(FakeStreamHost.get("/"));
            assertThat(context.onRequestHeaders(true).toCompletableFuture().join()).isEqualTo(Decision.PAUSE);
            assertThat(context.resumption().toCompletableFuture()).isCompletedWithValue(Decision.CONTINUE);
        }
    }

    @Test
    void aCommandModuleMayEndItsStartWithProcExitZero() {
        try (LogCapture log = new LogCapture("wasm.host_start_exit", Level.INFO);
                ProxyWasmModule module = Fixtures.load("host_start_exit")) {
            assertThat(module.instanceCount()).isEqualTo(1);
            assertThat(log.lines()).containsExactly("INFO [host_start_exit] started");
        }
    }

    @Test
    void aReactorRunsInitializeThenMainWithZeroArguments() {
        try (LogCapture log = new LogCapture("wasm.host_reactor_main", Level.INFO);
                ProxyWasmModule module = Fixtures.load("host_reactor_main")) {
            assertThat(log.lines()).containsExactly("INFO _initialize", "INFO main");
        }
    }

    @Test
    void createsEveryInstanceEagerly() {
        try (ProxyWasmModule module = ProxyWasmModule.load(Fixtures.spec("header_filter", Engine.COMPILER, 3))) {
            assertThat(module.instanceCount()).isEqualTo(3);
        }
    }

    @Test
    void runsOnTheInterpreterToo() {
        try (ProxyWasmModule module = ProxyWasmModule.load(Fixtures.spec("header_filter", Engine.INTERPRETER, 1))) {
            Plugin plugin = module.createPlugin("", Fixtures.utf8("request add x-engine: interpreter"));
            FakeStreamHost stream = FakeStreamHost.get("/");
            plugin.newHttpContext(stream).onRequestHeaders(true).toCompletableFuture().join();
            assertThat(stream.requestHeaders().get("x-engine")).isEqualTo("interpreter");
        }
    }

    @Test
    void aFalseOnVmStartFailsThePluginNamingModuleRootIdAndCallback() {
        try (ProxyWasmModule module = Fixtures.load("vm_start_fails")) {
            assertThatThrownBy(() -> module.createPlugin("the-root", new byte[0]))
                    .isInstanceOf(ModuleLoadException.class)
                    .hasMessage("wasm module 'vm_start_fails' (classpath:filters/vm_start_fails.wasm): plugin with "
                            + "root id 'the-root': proxy_on_vm_start returned false");
        }
    }

    @Test
    void aFalseOnConfigureFailsThePlugin() {
        try (ProxyWasmModule module = Fixtures.load("configure_fails")) {
            assertThatThrownBy(() -> module.createPlugin("", new byte[0]))
                    .isInstanceOf(ModuleLoadException.class)
                    .hasMessageContaining("wasm module 'configure_fails' (classpath:filters/configure_fails.wasm)")
                    .hasMessageContaining("root id ''")
                    .hasMessageEndingWith("proxy_on_configure returned false");
        }
    }

    @Test
    void aTrapInOnConfigureFailsThePluginNamingTheCallback() {
        try (ProxyWasmModule module = Fixtures.load("host_configure_traps")) {
            assertThatThrownBy(() -> module.createPlugin("r1", new byte[0]))
                    .isInstanceOf(ModuleLoadException.class)
                    .hasMessageStartingWith("wasm module 'host_configure_traps' "
                            + "(classpath:filters/host_configure_traps.wasm): plugin with root id 'r1': "
                            + "trapped in proxy_on_configure: ")
                    .hasCauseInstanceOf(WasmTrapException.class);
        }
    }

    @Test
    void aFilterRefusingItsConfigurationFailsThePlugin() {
        try (ProxyWasmModule module = Fixtures.load("header_filter")) {
            assertThatThrownBy(() -> module.createPlugin("r", Fixtures.utf8("sideways frobnicate x")))
                    .isInstanceOf(ModuleLoadException.class)
                    .hasMessageEndingWith("plugin with root id 'r': proxy_on_configure returned false");
            // the module stays usable with a good configuration
            assertThat(module.createPlugin("r", Fixtures.utf8("request add a: b")).rootId()).isEqualTo("r");
        }
    }

    private static void assertLoadError(String fixture, String reason) {
        assertThatThrownBy(() -> Fixtures.load(fixture))
                .isInstanceOf(ModuleLoadException.class)
                .hasMessageStartingWith("wasm module '" + fixture + "' (classpath:filters/" + fixture + ".wasm): ")
                .hasMessageContaining(reason);
    }
}
