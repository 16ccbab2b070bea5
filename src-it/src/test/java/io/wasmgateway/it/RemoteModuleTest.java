package io.wasmgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Modules at https locations: downloaded at startup (certificate and host name verified against a configured
 * bundle), checked against the required sha256 pin, cached under that hash so a restart works while the server
 * is down; a mismatch or a missing pin stops the startup naming the module.
 */
class RemoteModuleTest {

    static final String MODULE_PATH = "/modules/header_filter.wasm";

    static final byte[] HEADER_FILTER = bytes("/filters/header_filter.wasm");

    static final String SHA256 = WasmModuleRegistry.sha256(HEADER_FILTER);

    final WireMockServer server = new WireMockServer(wireMockConfig().httpDisabled(true)
        .dynamicHttpsPort()
        .keystorePath(resourcePath("/tls/localhost.p12"))
        .keystoreType("PKCS12")
        .keystorePassword("changeit")
        .keyManagerPassword("changeit"));

    final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    @TempDir
    Path cache;

    @BeforeEach
    void start() {
        server.start();
        server.stubFor(get(urlPathEqualTo(MODULE_PATH)).willReturn(aResponse().withBody(HEADER_FILTER)));
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
    }

    @AfterEach
    void stop() {
        server.stop();
        upstream.stop();
    }

    @Test
    void downloadsThePinnedModuleAndUsesTheCacheWhenTheServerIsDown() {
        try (Gateway gateway = Gateway.start("remote", properties(SHA256))) {
            assertServesTheFilter(gateway);
        }
        assertThat(cache.resolve(SHA256 + ".wasm")).hasBinaryContent(HEADER_FILTER);
        server.verify(1, getRequestedFor(urlPathEqualTo(MODULE_PATH)));
        Map<String, Object> properties = properties(SHA256);
        server.stop();

        try (Gateway gateway = Gateway.start("remote", properties)) {
            assertServesTheFilter(gateway);
        }
    }

    @Test
    void aPinInUpperCaseMatchesToo() {
        try (Gateway gateway = Gateway.start("remote", properties(SHA256.toUpperCase()))) {
            assertServesTheFilter(gateway);
        }
    }

    @Test
    void aModuleThatDoesNotMatchItsPinStopsTheStartup() {
        String pin = "0".repeat(64);

        assertThatThrownBy(() -> Gateway.run("remote", properties(pin)))
            .rootCause()
            .isInstanceOf(WasmModuleLoadException.class)
            .hasMessage("Wasm module 'remote' (" + location() + ") cannot be used: SHA-256 mismatch: "
                    + "wasm.gateway.modules.remote.sha256 is " + pin + ", the downloaded module's is " + SHA256);
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void anHttpsLocationWithoutAPinStopsTheStartup() {
        assertThatThrownBy(() -> Gateway.run("remote", properties("")))
            .rootCause()
            .isInstanceOf(WasmModuleLoadException.class)
            .hasMessage("Wasm module 'remote' (" + location() + ") cannot be used: an https location needs "
                    + "wasm.gateway.modules.remote.sha256, the module's SHA-256 (64 hex digits)");
        server.verify(0, getRequestedFor(anyUrl()));
    }

    @Test
    void aServerThatIsDownWithNothingCachedStopsTheStartup() {
        Map<String, Object> properties = properties(SHA256);
        server.stop();

        assertThatThrownBy(() -> Gateway.run("remote", properties))
            .satisfies(failure -> assertThat(loadFailure(failure)).hasMessageStartingWith("Wasm module 'remote' (" + properties.get("remote.location")
                    + ") cannot be used: the download failed (ConnectException")
            .hasMessageEndingWith(", and the cache has no copy (" + cache.resolve(SHA256 + ".wasm") + ")"));
    }

    static WasmModuleLoadException loadFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WasmModuleLoadException load) {
                return load;
            }
        }
        throw new AssertionError("no WasmModuleLoadException in " + failure, failure);
    }

    void assertServesTheFilter(Gateway gateway) {
        gateway.client().get().uri("/remote/x").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-downloaded", "yes")
            .expectBody(String.class).isEqualTo("ok");
    }

    Map<String, Object> properties(String pin) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("upstream.port", upstream.port());
        properties.put("remote.location", location());
        properties.put("remote.sha256", pin);
        properties.put("remote.cache-dir", cache);
        return properties;
    }

    String location() {
        return "https://localhost:" + server.httpsPort() + MODULE_PATH;
    }

    static byte[] bytes(String resource) {
        try (InputStream in = RemoteModuleTest.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String resourcePath(String resource) {
        try {
            return Path.of(RemoteModuleTest.class.getResource(resource).toURI()).toString();
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
