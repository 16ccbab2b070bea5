package io.wasmgateway.it;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.exchange.ProxyWasmExchangeFilter;
import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code wasm.gateway.enabled=false} turns wasm-gateway off; the gateway itself keeps working. */
class DisabledTest {

    @Test
    void noModuleLoadsAndNoWasmBeanExists() {
        WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("plain")));
        // the configured module's file does not exist: it would stop the startup if anything loaded it
        try (Gateway gateway = Gateway.start("disabled", Map.of("upstream.port", upstream.port()))) {
            assertThat(gateway.context().getBeansOfType(WasmModuleRegistry.class)).isEmpty();
            assertThat(gateway.context().getBeansOfType(ProxyWasmGatewayFilterFactory.class)).isEmpty();
            assertThat(gateway.context().getBeansOfType(ProxyWasmExchangeFilter.class)).isEmpty();

            gateway.client().get().uri("/plain/x").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("plain");
        }
        finally {
            upstream.stop();
        }
    }
}
