package io.wasmgateway.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.host.Engine;
import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.ProxyWasmModule;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * wasm.gateway.modules.x.precompiled: header_filter.wasm compiled at build time by chicory-compiler-maven-plugin
 * (src-it/pom.xml) runs like the same module compiled at startup; a class that is missing or was generated from
 * another module stops the startup.
 */
class PrecompiledModuleTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("server", "wiremock")
            .withBody("upstream body")));
        gateway = Gateway.start("precompiled", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void aPrecompiledModuleFiltersLikeTheSameModuleCompiledAtStartup() {
        for (String route : new String[] {"pre", "rt"}) {
            String server = route.equals("pre") ? "precompiled" : "runtime";
            gateway.client().get().uri("/" + route + "/hello").exchange()
                .expectStatus().isEqualTo(200)
                .expectHeader().valueEquals("server", server)
                .expectBody(String.class).isEqualTo("upstream body");
            upstream.verify(getRequestedFor(urlPathEqualTo("/" + route + "/hello"))
                .withHeader("x-wasm-c", equalTo(route)));
        }
        WasmModuleRegistry registry = gateway.context().getBean(WasmModuleRegistry.class);
        assertThat(registry.facts()).extracting(WasmModuleRegistry.ModuleFacts::name,
                WasmModuleRegistry.ModuleFacts::engine, WasmModuleRegistry.ModuleFacts::instances)
            .containsExactly(tuple("precompiled", "precompiled", 2),
                    tuple("runtime", "compiler", 1));
    }

    @Test
    void aClassGeneratedFromAnotherModuleIsRefused() throws Exception {
        byte[] deny = Files.readAllBytes(Path.of("../filters/wasm/deny_filter.wasm"));
        ModuleSpec spec = new ModuleSpec("deny", "deny_filter.wasm", deny, Engine.COMPILER, "deny", new byte[0],
                Map.of(), 1, ModuleLimits.DEFAULTS, "io.wasmgateway.it.precompiled.HeaderFilterModule");

        assertThatThrownBy(() -> ProxyWasmModule.load(spec)).isInstanceOf(ModuleLoadException.class)
            .hasMessage("wasm module 'deny' (deny_filter.wasm): precompiled class "
                    + "io.wasmgateway.it.precompiled.HeaderFilterModule was not generated from this module "
                    + "(imports differ)");
    }

    @Test
    void aMissingClassStopsTheStartup() {
        Throwable failure = catchThrowable(() -> Gateway.run("bad-module", Map.of("bad.location",
                "classpath:filters/header_filter.wasm", "wasm.gateway.modules.bad.precompiled", "com.example.Nope")));

        WasmModuleLoadException cause = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WasmModuleLoadException found) {
                cause = found;
            }
        }
        assertThat(cause).isNotNull();
        assertThat(cause.getMessage()).contains("'bad'", "precompiled class com.example.Nope is not on the classpath");
    }
}
