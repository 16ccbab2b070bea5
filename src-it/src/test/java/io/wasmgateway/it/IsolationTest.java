package io.wasmgateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpHeaders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation modes through a real gateway: under {@code stream} a trap fails its own request and no other, and
 * a filter's instance state is the request's alone (shared by the request's filters of that module); under
 * {@code none} it carries from request to request.
 */
class IsolationTest {

    static final int CONCURRENCY = 32;

    /** Where and what for the hostile requests (see filters/wat/hostile_filter.wat). */
    static final List<String> HOSTILE = List.of("qU", "qL", "sZ", "xM", "qR");

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort()
        .containerThreads(CONCURRENCY + 16)
        .disableRequestJournal());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        gateway = Gateway.start("isolation", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void underStreamATrapFailsOnlyItsOwnRequest() {
        ConnectionProvider connections = ConnectionProvider.builder("isolation-test")
            .maxConnections(CONCURRENCY)
            .pendingAcquireMaxCount(-1)
            .build();
        HttpClient client = HttpClient.create(connections)
            .baseUrl("http://localhost:" + gateway.port())
            .responseTimeout(Duration.ofSeconds(20));
        int requests = 2_000;
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger hostile = new AtomicInteger();
        try {
            Flux.range(0, requests).flatMap(i -> {
                String mode = i % 20 == 10 ? HOSTILE.get((i / 20) % HOSTILE.size()) : null;
                if (mode != null) {
                    hostile.incrementAndGet();
                }
                return client.headers(headers -> {
                    if (mode != null) {
                        headers.set("x-hostile", mode);
                    }
                })
                    .get()
                    .uri("/isolated/" + i)
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> (mode != null ? "hostile " : "normal ") + response.status().code() + " "
                                + text))
                    .onErrorResume(error -> Mono.just("no answer: " + error))
                    .doOnNext(outcome -> outcomes.computeIfAbsent(outcome, o -> new AtomicInteger())
                        .incrementAndGet());
            }, CONCURRENCY).blockLast(Duration.ofMinutes(3));
        }
        finally {
            connections.dispose();
        }
        System.out.println("isolation stream: " + outcomes);
        assertThat(outcomes.keySet()).containsOnly("normal 200 ok", "hostile 503 wasm filter failed\n");
        assertThat(outcomes.get("hostile 503 wasm filter failed\n").get()).isEqualTo(hostile.get());
        assertThat(outcomes.get("normal 200 ok").get()).isEqualTo(requests - hostile.get());

        Map<?, ?> report = instancesReport("isolated");
        assertThat(report.get("isolation")).isEqualTo("stream");
        assertThat(report.get("broken")).isEqualTo(0);
        Map<?, ?> requestInstances = (Map<?, ?>) report.get("requestInstances");
        assertThat(((Number) requestInstances.get("trapped")).longValue()).isEqualTo(hostile.get());
        assertThat(((Number) requestInstances.get("made")).longValue()).isGreaterThanOrEqualTo(requests);
    }

    @Test
    void underNoneInstanceStateCarriesFromRequestToRequest() {
        HttpHeaders first = answer("/state-shared/1");
        HttpHeaders second = answer("/state-shared/2");
        assertThat(first.get("x-instance-configured")).containsExactly("1");
        assertThat(second.get("x-instance-configured")).containsExactly("1");
        long before = Long.parseLong(first.getFirst("x-instance-requests"));
        assertThat(second.get("x-instance-requests")).containsExactly(Long.toString(before + 1));
    }

    @Test
    void underStreamInstanceStateIsTheRequestsOwnAndSharedByItsFilters() {
        for (int i = 0; i < 3; i++) {
            HttpHeaders headers = answer("/state-isolated/" + i);
            // both plugins of the route were configured on the request's fresh instance, which served both of
            // its filters and nothing else
            assertThat(headers.get("x-instance-configured")).containsExactly("2", "2");
            assertThat(headers.get("x-instance-requests")).containsExactly("2", "2");
        }
        Map<?, ?> report = instancesReport("state-isolated");
        assertThat(report.get("isolation")).isEqualTo("stream");
        assertThat(instancesReport("state-shared").get("isolation")).isEqualTo("none");
    }

    private static HttpHeaders answer(String path) {
        return gateway.client().get().uri(path).exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok")
            .returnResult().getResponseHeaders();
    }

    private static Map<?, ?> instancesReport(String module) {
        Map<?, ?> body = gateway.client().get().uri("/actuator/wasm").exchange()
            .expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody();
        return (Map<?, ?>) ((Map<?, ?>) body.get("instances")).get(module);
    }
}
