package io.wasmgateway.test.gateway;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.wasmgateway.test.gateway.WasmGatewayExtension.filter;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway extension on our example filters: one gateway for the class and its nested classes. */
class WasmGatewayExtensionTest {

    @RegisterExtension
    static WasmGatewayExtension gateway = WasmGatewayExtension.builder()
        .module("headers", "classpath:filters/header_filter.wasm")
        .module("seen", "classpath:filters/header_filter.wasm")
        .module("deny", "classpath:filters/deny_filter.wasm")
        .route("/c/**", "headers", "request add x-wasm-c: yes; request remove x-secret; response set server: wasm")
        .route("/deny/**", filter("seen", "response add x-seen: yes"), filter("deny", "path-prefix /deny/admin"))
        .upstreamResponse(aResponse().withStatus(200).withHeader("server", "wiremock").withBody("upstream body"))
        .build();

    @Test
    void showsWhatTheUpstreamReceivedAndWhatTheClientGot() {
        GatewayExchange exchange = gateway.request("POST", "/c/hello?x=1")
            .header("x-secret", "s3cr3t")
            .body("ping")
            .send();

        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.responseHeader("server")).isEqualTo("wasm");
        assertThat(exchange.responseBody()).isEqualTo("upstream body");
        UpstreamRequest request = exchange.upstreamRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.url()).isEqualTo("/c/hello?x=1");
        assertThat(request.path()).isEqualTo("/c/hello");
        assertThat(request.header("x-wasm-c")).isEqualTo("yes");
        assertThat(request.hasHeader("x-secret")).isFalse();
        assertThat(request.body()).isEqualTo("ping");
    }

    @Test
    void aLocalResponseNeverReachesTheUpstream() {
        GatewayExchange exchange = gateway.request("GET", "/deny/admin/users").send();

        assertThat(exchange.status()).isEqualTo(403);
        assertThat(exchange.responseBody()).isEqualTo("denied by wasm\n");
        assertThat(exchange.responseHeader("x-seen")).isEqualTo("yes");
        assertThat(exchange.upstreamCalled()).isFalse();
    }

    @Test
    void aTestsOwnStubWinsOverTheDefaultAnswer() {
        gateway.upstream().stubFor(get(urlPathEqualTo("/c/teapot")).willReturn(aResponse().withStatus(418)));

        assertThat(gateway.request("GET", "/c/teapot").send().status()).isEqualTo(418);
        assertThat(gateway.request("GET", "/c/other").send().status()).isEqualTo(200);
    }

    @Nested
    class NestedClasses {

        @Test
        void shareTheGatewayAndStillStartWithAFreshUpstream() {
            assertThat(gateway.received()).isEmpty();
            gateway.client().get().uri("/c/x").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("server", "wasm")
                .expectBody(String.class).isEqualTo("upstream body");

            assertThat(gateway.upstreamRequest().header("x-wasm-c")).isEqualTo("yes");
        }
    }
}
