package io.wasmgateway.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.conformance.ConformanceBinaries;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large SDK filter on a freshly loaded module (its compiled classes cold for HotSpot) under concurrent load,
 * with the default budgets: no callback is interrupted, because a module's first callbacks run under
 * cold-callback-timeout; an endless loop is still stopped.
 */
@ExtendWith(OutputCaptureExtension.class)
class ColdStartBudgetTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(64));

    static Gateway gateway;

    @BeforeAll
    static void start() {
        String go = ConformanceBinaries.location("go/http_headers.wasm");
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        gateway = Gateway.start("cold-start", Map.of("upstream.port", upstream.port(), "cold.go-location", go));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.stop();
    }

    @Test
    void aColdGoFilterUnderConcurrentLoadIsNeverInterruptedAndAnEndlessLoopStillIs(CapturedOutput output) {
        // 8 rounds of 32 concurrent requests, at once after startup: the module's first callbacks
        HttpClient client = HttpClient.create().baseUrl("http://localhost:" + gateway.port());
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger withHeader = new AtomicInteger();
        for (int round = 0; round < 8; round++) {
            Flux.range(0, 32)
                .flatMap(i -> client.get().uri("/go/" + i).responseSingle((response, body) -> {
                    statuses.computeIfAbsent(response.status().code(), code -> new AtomicInteger()).incrementAndGet();
                    if ("start".equals(response.responseHeaders().get("x-cold"))) {
                        withHeader.incrementAndGet();
                    }
                    return body.asString();
                }), 32)
                .collectList()
                .block(Duration.ofSeconds(60));
        }
        assertThat(statuses).containsOnlyKeys(200);
        assertThat(statuses.get(200).get()).isEqualTo(256);
        assertThat(withHeader.get()).as("responses with the plugin configuration's header").isEqualTo(256);
        assertThat(output.getAll()).doesNotContain("ran past its execution budget");

        // the hostile fixture's endless loop (filters/wat/hostile_filter.wat), cold too: stopped at the cold budget
        gateway.client().get().uri("/loop/x").header("x-hostile", "qL").exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("wasm filter failed\n");
        assertThat(output.getAll()).contains(
                "proxy_on_request_headers: ran past its execution budget of 1000 ms (cold-callback-timeout)");
    }
}
