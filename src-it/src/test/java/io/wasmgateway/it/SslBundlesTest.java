package io.wasmgateway.it;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code ssl-bundle} on a cluster and on downloads: TLS through Spring Boot's {@code spring.ssl.bundle.*}. The
 * certificate of both https servers is only trusted through the bundle, so a call or a download that succeeds
 * went through it; an unknown bundle stops the startup naming the property.
 */
class SslBundlesTest {

    static final String MODULE_PATH = "/modules/header_filter.wasm";

    static final byte[] HEADER_FILTER = RemoteModuleTest.bytes("/filters/header_filter.wasm");

    final WireMockServer artifacts = new WireMockServer(https());

    final WireMockServer auth = new WireMockServer(https());

    final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    @TempDir
    Path cache;

    @BeforeEach
    void start() {
        artifacts.start();
        artifacts.stubFor(get(urlPathEqualTo(MODULE_PATH)).willReturn(aResponse().withBody(HEADER_FILTER)));
        auth.start();
        auth.stubFor(get(urlPathEqualTo("/check")).willReturn(aResponse().withStatus(401).withBody("no")));
        auth.stubFor(get(urlPathEqualTo("/check")).withHeader("authorization", equalTo("Bearer good"))
            .willReturn(aResponse().withStatus(200).withBody("ok")));
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
    }

    @AfterEach
    void stop() {
        artifacts.stop();
        auth.stop();
        upstream.stop();
    }

    @Test
    void downloadsAndCallsTrustTheCertificatesOfTheirSslBundle() {
        try (Gateway gateway = Gateway.start("ssl-bundles", properties("test-ca", "test-ca"))) {
            gateway.client().get().uri("/secured/orders").header("authorization", "Bearer good").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-downloaded", "yes")
                .expectBody(String.class).isEqualTo("ok");
            gateway.client().get().uri("/secured/orders").header("authorization", "Bearer bad").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("x-auth-denied", "1")
                .expectBody(String.class).isEqualTo("no");
        }
        artifacts.verify(1, getRequestedFor(urlPathEqualTo(MODULE_PATH)));
        auth.verify(2, getRequestedFor(urlPathEqualTo("/check")));
        upstream.verify(1, getRequestedFor(urlPathEqualTo("/secured/orders")));
    }

    @Test
    void anUnknownBundleStopsTheStartupNamingTheProperty() {
        Throwable failure = catchThrowable(() -> Gateway.run("ssl-bundles", properties("test-ca", "nope")));

        assertThat(failure).hasStackTraceContaining("wasm.gateway.clusters.auth.ssl-bundle: ")
            .hasStackTraceContaining("nope");
    }

    @Test
    void anUnknownDownloadBundleStopsTheStartupNamingModuleAndProperty() {
        Throwable failure = catchThrowable(() -> Gateway.run("ssl-bundles", properties("nope", "test-ca")));

        WasmModuleLoadException cause = RemoteModuleTest.loadFailure(failure);
        assertThat(cause.module()).isEqualTo("remote");
        assertThat(cause.getMessage()).contains("wasm.gateway.download.ssl-bundle: ", "nope");
    }

    static WireMockConfiguration https() {
        return wireMockConfig().httpDisabled(true)
            .dynamicHttpsPort()
            .keystorePath(RemoteModuleTest.resourcePath("/tls/localhost.p12"))
            .keystoreType("PKCS12")
            .keystorePassword("changeit")
            .keyManagerPassword("changeit");
    }

    Map<String, Object> properties(String downloadBundle, String clusterBundle) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("upstream.port", upstream.port());
        properties.put("auth.port", auth.httpsPort());
        properties.put("remote.location", "https://localhost:" + artifacts.httpsPort() + MODULE_PATH);
        properties.put("remote.sha256", WasmModuleRegistry.sha256(HEADER_FILTER));
        properties.put("remote.cache-dir", cache);
        properties.put("download.bundle", downloadBundle);
        properties.put("cluster.bundle", clusterBundle);
        return properties;
    }
}
