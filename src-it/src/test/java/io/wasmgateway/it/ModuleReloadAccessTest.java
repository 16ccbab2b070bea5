package io.wasmgateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/** A reload is a write: refused (not mapped) while the wasm endpoint is read-only, Actuator's default. */
class ModuleReloadAccessTest {

    @TempDir
    Path files;

    @Test
    void reloadsAreRefusedWhenTheEndpointIsReadOnly() throws IOException {
        WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        Path reloaded = Files.write(files.resolve("reloaded.wasm"), ModuleReloadTest.version("1"));
        Path watched = Files.write(files.resolve("watched.wasm"), ModuleReloadTest.version("1"));
        try (Gateway gateway = Gateway.start("reload", Map.of("upstream.port", upstream.port(),
                "reloaded.location", reloaded.toUri(), "watched.location", watched.toUri(),
                "management.endpoint.wasm.access", "read-only"))) {
            Files.write(reloaded, ModuleReloadTest.version("2"));

            gateway.client().post().uri("/actuator/wasm/modules/reloaded/reload").exchange()
                .expectStatus().isNotFound()
                .expectBody().returnResult();
            gateway.client().get().uri("/reloaded/x").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-filter-version", "1")
                .expectBody(String.class).isEqualTo("ok");
        }
        finally {
            upstream.stop();
        }
    }
}
