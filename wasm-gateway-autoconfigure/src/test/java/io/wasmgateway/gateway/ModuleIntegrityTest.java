package io.wasmgateway.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** The sha256 pin on local locations, and the settings a module with {@code watch} needs. */
class ModuleIntegrityTest {

    private static final String LOCATION = "classpath:filters/header_filter.wasm";

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WebFluxAutoConfiguration.class,
                GatewayAutoConfiguration.class, WasmGatewayAutoConfiguration.class))
        .withBean(ServerProperties.class)
        .withPropertyValues("wasm.gateway.modules.headers.location=" + LOCATION,
                "wasm.gateway.modules.headers.instances=1");

    @Test
    void aMatchingPinLoadsTheModule() throws IOException {
        String sha256 = WasmModuleRegistry.sha256(headerFilter());
        runner.withPropertyValues("wasm.gateway.modules.headers.sha256=" + sha256.toUpperCase())
            .run(context -> assertThat(context.getBean(WasmModuleRegistry.class).facts("headers").sha256())
                .isEqualTo(sha256));
    }

    @Test
    void aPinThatDoesNotMatchStopsTheStartupWithBothHashes() throws IOException {
        String pin = "ab".repeat(32);
        runner.withPropertyValues("wasm.gateway.modules.headers.sha256=" + pin)
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(WasmModuleLoadException.class)
                .hasMessage("Wasm module 'headers' (" + LOCATION + ") cannot be used: SHA-256 mismatch: "
                        + "wasm.gateway.modules.headers.sha256 is " + pin + ", the module's is "
                        + WasmModuleRegistry.sha256(headerFilter())));
    }

    @Test
    void aPinMustBe64HexDigits() {
        runner.withPropertyValues("wasm.gateway.modules.headers.sha256=abc")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .hasMessage("Wasm module 'headers' (" + LOCATION + ") cannot be used: "
                        + "wasm.gateway.modules.headers.sha256 must be 64 hex digits, was 'abc'"));
    }

    @Test
    void onlyFileLocationsCanBeWatched() {
        runner.withPropertyValues("wasm.gateway.modules.headers.watch=true")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .hasMessage("Wasm module 'headers' (" + LOCATION + ") cannot be used: "
                        + "wasm.gateway.modules.headers.watch needs a file: location"));
    }

    @Test
    void plainHttpLocationsAreRefused() {
        runner.withPropertyValues("wasm.gateway.modules.headers.location=http://localhost:1/x.wasm")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .hasMessage("Wasm module 'headers' (http://localhost:1/x.wasm) cannot be used: "
                        + "remote modules are downloaded over https only"));
    }

    @Test
    void aWatchedFileModuleStartsItsWatcher(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("h.wasm"), headerFilter());
        runner.withPropertyValues("wasm.gateway.modules.headers.location=" + file.toUri(),
                "wasm.gateway.modules.headers.watch=true")
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(Thread.getAllStackTraces().keySet())
                    .anySatisfy(thread -> assertThat(thread.getName()).isEqualTo("wasm-module-watcher"));
            });
    }

    private static byte[] headerFilter() throws IOException {
        try (InputStream in = ModuleIntegrityTest.class.getResourceAsStream("/filters/header_filter.wasm")) {
            return in.readAllBytes();
        }
    }
}
