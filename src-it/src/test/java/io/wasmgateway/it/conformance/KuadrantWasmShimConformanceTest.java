package io.wasmgateway.it.conformance;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * Kuadrant's wasm-shim (Rust, rate limiting and auth for Envoy and Istio gateways), unmodified: it loads and
 * configures from the configuration its own tests use (Kuadrant/wasm-shim {@code tests/failuremode.rs}), passes a
 * request no action set matches, and for a matching request calls its rate-limit service over gRPC; with that
 * service unreachable, {@code failureMode: allow} lets the request through (the same test file). Limiting a route
 * behind a real rate-limit service is the gRPC issue's.
 */
@ExtendWith(ConformanceReport.class)
class KuadrantWasmShimConformanceTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        ConformanceBinaries.requireFolder();
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("upstream\n")));
        gateway = Gateway.start("conformance-kuadrant", Map.of("upstream.port", upstream.port(),
                "closed.port", Fixtures.closedPort(),
                "conformance.wasm-shim", ConformanceBinaries.location("kuadrant/wasm_shim.wasm")));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.stop();
    }

    // wasm-shim's filter: a request whose host matches no action set's hostnames is not acted on
    @Test
    @Conformance("kuadrant/wasm_shim.wasm")
    @DisplayName("wasm-shim: configured from its tests' configuration, a request no action set matches reaches the upstream")
    void aRequestNoActionSetMatchesReachesTheUpstream() {
        gateway.client().get().uri("/shim/other").header("host", "other.example.com").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("upstream\n");
        upstream.verify(1, getRequestedFor(urlPathEqualTo("/shim/other")));
    }

    // tests/failuremode.rs: the rate-limit call fails (no service), failureMode allow continues the request
    @Test
    @Conformance("kuadrant/wasm_shim.wasm")
    @DisplayName("wasm-shim: an unreachable rate-limit service with failureMode allow lets a matching request through")
    void anUnreachableServiceWithFailureModeAllowLetsTheRequestThrough() {
        gateway.client().get().uri("/shim/cars").header("host", "cars.toystore.com").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("upstream\n");
        upstream.verify(1, getRequestedFor(urlPathEqualTo("/shim/cars")));
    }
}
