package io.wasmgateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared data, shared queues and filter metrics through a real gateway, seen and edited through
 * {@code /actuator/wasm}, {@code /actuator/metrics} and {@code /actuator/prometheus}.
 */
class SharedStateTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(64));

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        gateway = Gateway.start("shared", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
    }

    @Test
    void tenThousandConcurrentIncrementsEndWithExactlyTenThousand() {
        put("hits", "0"); // created first: two first requests could otherwise both create it (cpp-host's rules)
        ConnectionProvider connections = ConnectionProvider.builder("it-count").maxConnections(128).build();
        HttpClient client = HttpClient.create(connections);
        try {
            Long ok = Flux.range(0, 10_000)
                .flatMap(i -> client.get()
                    .uri("http://localhost:" + gateway.port() + "/count/" + i)
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> response.status().code())), 128)
                .filter(status -> status == 200)
                .count()
                .block(Duration.ofSeconds(120));
            assertThat(ok).isEqualTo(10_000L);
        }
        finally {
            connections.disposeLater().block(Duration.ofSeconds(5));
        }

        gateway.client().get().uri("/actuator/wasm/shared-data/hits").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.value").isEqualTo("10000")
            .jsonPath("$.encoding").isEqualTo("text");
    }

    @Test
    void theRateLimiterAnswers429OverItsLimitAndAnActuatorResetLetsTheClientIn() {
        for (int remaining = 2; remaining >= 0; remaining--) {
            gateway.client().get().uri("/limited/x").header("x-api-key", "k1").exchange()
                .expectStatus().isOk().expectBody().returnResult();
            assertThat(lastUpstreamRequest().getHeader("x-ratelimit-remaining"))
                .isEqualTo(Integer.toString(remaining));
        }

        gateway.client().get().uri("/limited/x").header("x-api-key", "k1").exchange()
            .expectStatus().isEqualTo(429)
            .expectHeader().valueEquals("x-ratelimit-limit", "3")
            .expectHeader().value("retry-after", value -> assertThat(Integer.parseInt(value)).isBetween(1, 3600))
            .expectBody(String.class).isEqualTo("rate limited\n");
        assertThat(upstream.findAll(getRequestedFor(urlPathEqualTo("/limited/x")))).hasSize(3);

        // another key has its own window
        gateway.client().get().uri("/limited/x").header("x-api-key", "k2").exchange().expectStatus().isOk()
            .expectBody().returnResult();

        // an operator resets the counter; the filter sees it on the next request
        gateway.client().delete().uri("/actuator/wasm/shared-data/rl:k1").exchange().expectStatus().isOk()
            .expectBody().returnResult();
        gateway.client().get().uri("/limited/x").header("x-api-key", "k1").exchange()
            .expectStatus().isOk().expectBody().returnResult();
        assertThat(lastUpstreamRequest().getHeader("x-ratelimit-remaining")).isEqualTo("2");
    }

    @Test
    void anEnqueueInOneModuleWakesTheConsumerModule() {
        gateway.client().get().uri("/produce/order-17").exchange().expectStatus().isOk().expectBody().returnResult();
        assertThat(lastUpstreamRequest().getHeader("x-queue")).isEqualTo("sent");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            gateway.client().get().uri("/consume/x").exchange().expectStatus().isOk().expectBody().returnResult();
            assertThat(lastUpstreamRequest().getHeader("x-consumed")).endsWith(" /produce/order-17");
        });
        gateway.client().get().uri("/actuator/wasm/queues").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.queues[0].name").isEqualTo("events")
            .jsonPath("$.queues[0].vmId").isEqualTo("consumer")
            .jsonPath("$.queues[0].depth").isEqualTo(0);
    }

    @Test
    void actuatorShowsModulesPluginsAndKeys() {
        put("page:a", "1");
        put("page:b", "2");
        put("page:c", "3");

        gateway.client().get().uri("/actuator/wasm").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.modules[0].name").isEqualTo("counter")
            .jsonPath("$.modules[0].location").isEqualTo("classpath:filters/counter_filter.wasm")
            .jsonPath("$.modules[0].sha256").value(sha -> assertThat((String) sha).matches("[0-9a-f]{64}"))
            .jsonPath("$.modules[0].abiVersion").isEqualTo("V0_2_X")
            .jsonPath("$.modules[0].engine").isEqualTo("compiler")
            .jsonPath("$.plugins[?(@.routeId == 'limited')].module").isEqualTo("ratelimit");

        gateway.client().get().uri("/actuator/wasm/shared-data?prefix=page:&offset=1&limit=1").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.keys").isEqualTo(List.of("page:b"))
            .jsonPath("$.total").isEqualTo(3);
        gateway.client().get().uri("/actuator/wasm/shared-data/missing").exchange().expectStatus().isNotFound()
                .expectBody().returnResult();
    }

    @Test
    void aPutWithAStaleCasIsRefused() {
        put("cas-key", "one");
        long cas = ((Number) gateway.client().get().uri("/actuator/wasm/shared-data/cas-key").exchange()
            .expectBody(Map.class).returnResult().getResponseBody().get("cas")).longValue();

        gateway.client().post().uri("/actuator/wasm/shared-data/cas-key").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("value", "two", "cas", cas + 1)).exchange()
            .expectStatus().isEqualTo(409).expectBody().returnResult();
        gateway.client().post().uri("/actuator/wasm/shared-data/cas-key").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("value", "two", "cas", cas)).exchange()
            .expectStatus().isOk().expectBody().returnResult();
        gateway.client().get().uri("/actuator/wasm/shared-data/cas-key").exchange()
            .expectBody().jsonPath("$.value").isEqualTo("two");
    }

    @Test
    void writesAreRefusedUnlessAccessIsGranted() {
        try (Gateway readOnly = Gateway.start("shared", Map.of("upstream.port", upstream.port(),
                "management.endpoint.wasm.access", "read-only"))) {
            readOnly.client().post().uri("/actuator/wasm/shared-data/locked")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("value", "x")).exchange()
                .expectStatus().is4xxClientError().expectBody().returnResult();
            readOnly.client().get().uri("/actuator/wasm/shared-data/locked").exchange().expectStatus().isNotFound()
                .expectBody().returnResult();
        }
    }

    @Test
    void theFiltersMetricsReachMicrometerAndPrometheus() {
        for (int i = 0; i < 7; i++) {
            gateway.client().get().uri("/metered/x").exchange().expectStatus().isOk().expectBody().returnResult();
        }
        gateway.client().post().uri("/metered/x").bodyValue("12345").exchange().expectStatus().isOk()
            .expectBody().returnResult();

        gateway.client().get().uri("/actuator/metrics/wasm.filter.demo.requests.method.GET?tag=module:metrics")
            .exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.measurements[0].value").isEqualTo(7.0);
        gateway.client().get().uri("/actuator/metrics/wasm.filter.demo.request_body_bytes").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.measurements[?(@.statistic == 'COUNT')].value").isEqualTo(List.of(8.0))
            .jsonPath("$.measurements[?(@.statistic == 'TOTAL')].value").isEqualTo(List.of(5.0));
        String prometheus = gateway.client().get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        gateway.client().get().uri("/actuator/metrics/wasm.callback.duration?tag=module:metrics"
                + "&tag=callback:proxy_on_request_headers")
            .exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.measurements[?(@.statistic == 'COUNT')].value").isEqualTo(List.of(8.0));
        assertThat(prometheus).contains("wasm_filter_demo_requests_method_GET_total{module=\"metrics\"} 7.0")
            .contains("wasm_filter_demo_last_status{module=\"metrics\"} 200.0");
    }

    private static void put(String key, String value) {
        gateway.client().post().uri("/actuator/wasm/shared-data/" + key).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("value", value)).exchange().expectStatus().isOk().expectBody().returnResult();
    }

    private static LoggedRequest lastUpstreamRequest() {
        List<LoggedRequest> requests = upstream.findAll(getRequestedFor(anyUrl()));
        return requests.get(requests.size() - 1);
    }
}
