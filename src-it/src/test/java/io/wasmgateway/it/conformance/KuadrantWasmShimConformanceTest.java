package io.wasmgateway.it.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.protobuf.CodedInputStream;
import io.grpc.Metadata;
import io.grpc.Status;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.GrpcTestServer;
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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kuadrant's wasm-shim (Rust, rate limiting and auth for Envoy and Istio gateways), unmodified: it loads and
 * configures from the configuration its own tests use (Kuadrant/wasm-shim {@code tests/failuremode.rs}), passes a
 * request no action set matches, and for a matching request calls its rate-limit service over gRPC; with that
 * service unreachable, {@code failureMode: allow} lets the request through (the same test file); behind a rate-limit
 * service the test runs (a real grpc-java server answering ShouldRateLimit), a route allows its first requests and
 * answers 429 after ({@code tests/rate_limited.rs}).
 */
@ExtendWith(ConformanceReport.class)
class KuadrantWasmShimConformanceTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    /** envoy.service.ratelimit.v3.RateLimitService: the first {@link #ALLOWED} calls OK, then OVER_LIMIT. */
    static final GrpcTestServer limitador = new GrpcTestServer();

    static final int ALLOWED = 3;

    static final List<String> domains = new CopyOnWriteArrayList<>();

    static Gateway gateway;

    @BeforeAll
    static void start() {
        ConformanceBinaries.requireFolder();
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("upstream\n")));
        limitador.handle("envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit", (call, request) -> {
            domains.add(domain(request));
            // RateLimitResponse{overall_code: OK (1) or OVER_LIMIT (2)}
            byte[] answer = {0x08, (byte) (domains.size() <= ALLOWED ? 1 : 2)};
            call.sendHeaders(new Metadata());
            call.sendMessage(answer);
            GrpcTestServer.close(call, Status.OK, new Metadata());
        });
        gateway = Gateway.start("conformance-kuadrant", Map.of("upstream.port", upstream.port(),
                "closed.port", Fixtures.closedPort(), "limitador.port", limitador.port(),
                "conformance.wasm-shim", ConformanceBinaries.location("kuadrant/wasm_shim.wasm")));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        limitador.close();
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

    // tests/failuremode.rs: the rate-limit call fails and failureMode deny answers 500 itself
    @Test
    @Conformance("kuadrant/wasm_shim.wasm")
    @DisplayName("wasm-shim: an unreachable rate-limit service with failureMode deny refuses a matching request")
    void anUnreachableServiceWithFailureModeDenyRefusesTheRequest() {
        gateway.client().get().uri("/deny/cars").header("host", "cars.toystore.com").exchange()
            .expectStatus().isEqualTo(500)
            .expectBody(String.class).returnResult();
        upstream.verify(0, getRequestedFor(urlPathEqualTo("/deny/cars")));
    }

    // tests/rate_limited.rs: the shim asks ShouldRateLimit with the action's scope as domain; OVER_LIMIT is a 429
    @Test
    @Conformance("kuadrant/wasm_shim.wasm")
    @DisplayName("wasm-shim: a route limited by its rate-limit service (gRPC) allows the first requests, then answers 429")
    void aRouteLimitedByTheRateLimitServiceAnswers429OnceOverTheLimit() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < ALLOWED + 2; i++) {
            statuses.add(gateway.client().get().uri("/limited/" + i).header("host", "limited.toystore.com")
                .exchange()
                .expectBody(String.class).returnResult().getStatus().value());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        assertThat(domains).hasSize(ALLOWED + 2).containsOnly("limited-scope");
        upstream.verify(ALLOWED, getRequestedFor(urlPathMatching("/limited/.*")));
    }

    /** RateLimitRequest's field 1, domain. */
    private static String domain(byte[] request) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(request);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == (1 << 3 | 2)) {
                    return in.readStringRequireUtf8();
                }
                in.skipField(tag);
            }
            return "";
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
