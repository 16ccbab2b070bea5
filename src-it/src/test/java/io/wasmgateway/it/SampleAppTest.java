package io.wasmgateway.it;

import java.time.Duration;

import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.sample.SampleGatewayApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Try the sample" commands, against the sample gateway with its own configuration. */
class SampleAppTest {

    static ConfigurableApplicationContext sample;

    static WebTestClient client;

    @BeforeAll
    static void start() {
        // the sample routes to itself at ${server.port}: give it a real port, not 0
        int port = Fixtures.closedPort();
        sample = SpringApplication.run(SampleGatewayApplication.class, "--server.port=" + port);
        client = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection()))) // as Gateway.client()
            .baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(30))
            .build();
    }

    @AfterAll
    static void stop() {
        sample.close();
    }

    @Test
    void theCFilterChangesHeadersBothWays() {
        client.get().uri("/c/hello").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("server", "wasm-gateway")
            .expectBody()
            .jsonPath("$.path").isEqualTo("/upstream/hello")
            .jsonPath("$.headers.x-wasm-c[0]").isEqualTo("yes")
            .jsonPath("$.headers.x-wasm-path[0]").isEqualTo("/c/hello");
    }

    @Test
    void theAssemblyScriptFilterAddsItsResponseHeader() {
        client.get().uri("/as/hello").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-wasm-as-response", "yes")
            .expectBody().returnResult();
    }

    @Test
    void theDenyFilterAnswersLocallyAndReplacesUpstreamFailures() {
        client.get().uri("/deny/admin").exchange()
            .expectStatus().isForbidden()
            .expectBody(String.class).isEqualTo("denied by wasm\n");
        client.get().uri("/deny/status/500").exchange()
            .expectStatus().isEqualTo(502)
            .expectBody(String.class).isEqualTo("upstream failed\n");
    }

    @Test
    void theAuthFilterAsksTheAuthService() {
        client.get().uri("/auth/hello").exchange()
            .expectStatus().isUnauthorized()
            .expectBody(String.class).isEqualTo("{\"error\":\"invalid token\"}");
        client.get().uri("/auth/hello").header("authorization", "Bearer demo").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.headers.x-auth-checked[0]").isEqualTo("yes");
    }

    @Test
    void theRateLimiterLetsThreeRequestsAMinuteThrough() {
        for (int i = 0; i < 3; i++) {
            client.get().uri("/limited/x").header("x-api-key", "alice").exchange()
                .expectStatus().isOk().expectBody().returnResult();
        }
        client.get().uri("/limited/x").header("x-api-key", "alice").exchange()
            .expectStatus().isEqualTo(429)
            .expectBody(String.class).isEqualTo("rate limited\n");
    }

    @Test
    void theRewriteFilterChangesTheResponseBodyAndItsLength() {
        var result = client.get().uri("/rewrite/hello-world").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-body-rewrites", "1")
            .expectBody(String.class).returnResult();
        assertThat(result.getResponseBody()).contains("\"path\":\"/upstream/hello-wasm-gateway\"");
        assertThat(result.getResponseHeaders().getContentLength()).isEqualTo(result.getResponseBody().length());
    }

    @Test
    void theValidateFilterRefusesInvalidJsonAndPassesValidJson() {
        // as curl -d sends them: form-encoded content type
        client.post().uri("/validate/orders").header("content-type", "application/x-www-form-urlencoded")
            .bodyValue("{\"a\":").exchange()
            .expectStatus().isForbidden()
            .expectBody(String.class).isEqualTo("invalid JSON body\n");
        client.post().uri("/validate/orders").header("content-type", "application/x-www-form-urlencoded")
            .bodyValue("{\"a\":1}").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.headers.x-json-valid[0]").isEqualTo("7");
    }

    @Test
    void theExtismApiKeyPluginAnswersWithoutAKeyAndPassesAKnownOne() {
        client.get().uri("/keyed/hello").exchange()
            .expectStatus().isUnauthorized()
            .expectBody(String.class).isEqualTo("{\"error\":\"missing or unknown API key\"}");
        client.get().uri("/keyed/hello").header("x-api-key", "demo-key").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.headers.x-api-user[0]").isEqualTo("alice")
            .jsonPath("$.headers.x-api-key").doesNotExist();
    }

    @Test
    void theExtismContentPluginServesAWholeRoute() {
        client.get().uri("/hello/world?lang=en").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("content-type", "application/json")
            .expectBody(String.class)
            .isEqualTo("{\"message\":\"hello from wasm\",\"method\":\"GET\",\"path\":\"/hello/world\","
                    + "\"query\":\"lang=en\"}");
    }

    @Test
    void theMetricsFiltersCountersReachPrometheusAndHealthIsUp() {
        client.get().uri("/metered/x").exchange().expectStatus().isOk().expectBody().returnResult();
        String prometheus = client.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(prometheus).contains("wasm_filter_demo_requests_method_GET_total{module=\"metrics\"} 1.0");
        client.get().uri("/actuator/health/wasm").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void aModuleIsReloadedThroughTheWasmEndpoint() {
        client.post().uri("/actuator/wasm/modules/headers/reload").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.outcome").isEqualTo("reloaded");
        client.get().uri("/c/hello").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("server", "wasm-gateway")
            .expectBody().returnResult();
    }
}
