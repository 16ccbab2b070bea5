package io.wasmgateway.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.LoadDriver;
import io.wasmgateway.it.support.LoadDriver.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        int requests = 2_000;
        AtomicInteger hostile = new AtomicInteger();
        Map<String, AtomicInteger> outcomes;
        try (LoadDriver load = LoadDriver.open(gateway, "isolation-test", CONCURRENCY)) {
            outcomes = load.run(requests, i -> {
                Request normal = new Request("normal", "/isolated/" + i);
                if (i % 20 != 10) {
                    return normal;
                }
                hostile.incrementAndGet();
                return new Request("hostile", normal.path()).withHeader("x-hostile",
                        HOSTILE.get((i / 20) % HOSTILE.size()));
            }, answer -> answer.failed() ? "no answer: " + answer.error()
                    : answer.kind() + " " + answer.status() + " " + answer.text());
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
