package com.example.filters;

import io.wasmgateway.test.gateway.GatewayExchange;
import io.wasmgateway.test.gateway.UpstreamRequest;
import io.wasmgateway.test.gateway.WasmGatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/** The same filter in a real gateway on a random port, in front of a WireMock upstream. */
@EnabledIf(value = "com.example.filters.SdkFilters#present", disabledReason = SdkFilters.ABSENT)
class HttpHeadersGatewayTest {

    @RegisterExtension
    static WasmGatewayExtension gateway = WasmGatewayExtension.builder()
        .module("http-headers", SdkFilters.HTTP_HEADERS)
        .property("wasm.gateway.modules.http-headers.instances", 1) // a Go module: one VM is enough here
        .route("/headers/**", "http-headers", "{\"header\": \"x-wasm-header\", \"value\": \"x-value\"}")
        .upstreamResponse(aResponse().withStatus(200).withHeader("key1", "value1").withBody("hello"))
        .build();

    @Test
    void theUpstreamGetsTheRequestHeaderAndTheClientTheResponseHeaders() {
        GatewayExchange exchange = gateway.request("GET", "/headers/uuid?x=1").header("key1", "value1").send();

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseHeader("x-wasm-header")).isEqualTo("x-value");
        assertThat(exchange.responseHeader("x-proxy-wasm-go-sdk-example")).isEqualTo("http_headers");
        assertThat(exchange.responseHeader("key1")).isEqualTo("value1");
        assertThat(exchange.responseBody()).isEqualTo("hello");

        UpstreamRequest request = exchange.upstreamRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.url()).isEqualTo("/headers/uuid?x=1");
        assertThat(request.header("test")).isEqualTo("best");
        assertThat(request.header("key1")).isEqualTo("value1");
    }
}
