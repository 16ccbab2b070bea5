package io.wasmgateway.it;

import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** The ProxyWasm filter on routes built with the Java route DSL, through the factory bean. */
class JavaRouteDslTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        gateway = Gateway.start("java-dsl", Map.of("upstream.port", upstream.port()), JavaRoutes.class);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void aStringConfiguration() {
        gateway.client().get().uri("/dsl/c").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-dsl-response", "yes")
            .expectBody(String.class).isEqualTo("ok");

        assertThat(lastRequest().getHeader("x-dsl")).isEqualTo("yes");
    }

    @Test
    void aConfigurationWrittenAsJsonAndARootId() {
        gateway.client().get().uri("/dsl/as").exchange().expectStatus().isOk().expectBody().returnResult();

        LoggedRequest request = lastRequest();
        assertThat(request.getHeader("x-wasm-as")).isEqualTo("dsl_root");
        assertThat(request.getHeader("x-wasm-as-config")).isEqualTo("{\"greeting\":\"hi\"}");
    }

    private static LoggedRequest lastRequest() {
        List<LoggedRequest> requests = upstream.findAll(anyRequestedFor(anyUrl()));
        return requests.get(requests.size() - 1);
    }

    @Configuration(proxyBeanMethods = false)
    static class JavaRoutes {

        @Bean
        RouteLocator javaRoutes(RouteLocatorBuilder routes, ProxyWasmGatewayFilterFactory proxyWasm,
                @Value("${upstream.port}") int upstreamPort) {
            String upstreamUri = "http://localhost:" + upstreamPort;
            return routes.routes()
                .route("dsl-c", route -> route.path("/dsl/c")
                    .filters(filters -> filters.filter(proxyWasm.apply("dsl-c", config -> config.setModule("headers")
                        .setConfig("request add x-dsl: yes; response add x-dsl-response: yes"))))
                    .uri(upstreamUri))
                .route("dsl-as", route -> route.path("/dsl/as")
                    .filters(filters -> filters.filter(proxyWasm.apply("dsl-as", config -> config.setModule("as")
                        .setRootId("dsl_root")
                        .withJsonConfig(Map.of("greeting", "hi")))))
                    .uri(upstreamUri))
                .build();
        }
    }
}
