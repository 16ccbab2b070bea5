package io.wasmgateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * proxy_http_call through a real gateway: the auth filter pauses each request on a call to an auth service
 * (WireMock) and resumes it or answers locally; the tick filter calls from its root context on a timer.
 */
class OutboundCallsTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort()
        .containerThreads(64)
        .templatingEnabled(true));

    // asynchronous responses: 500 delayed answers at once hold no WireMock thread either
    static final WireMockServer auth = new WireMockServer(wireMockConfig().dynamicPort()
        .containerThreads(64)
        .asynchronousResponseEnabled(true)
        .asynchronousResponseThreads(4));

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        auth.start();
        gateway = Gateway.start("calls", Map.of("upstream.port", upstream.port(), "auth.port", auth.port(),
                "closed.port", Fixtures.closedPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        auth.stop();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("upstream {{request.headers.x-id}}")
            .withTransformers("response-template")));
        auth.resetAll();
        auth.stubFor(get(urlPathEqualTo("/check")).willReturn(aResponse().withStatus(401)
            .withHeader("content-type", "application/json")
            .withBody("{\"error\":\"bad token\"}")));
        auth.stubFor(get(urlPathEqualTo("/check")).withHeader("authorization", equalTo("Bearer good"))
            .willReturn(aResponse().withStatus(200).withBody("ok")));
        auth.stubFor(get(urlPathEqualTo("/slow")).willReturn(aResponse().withFixedDelay(3000).withBody("late")));
        auth.stubFor(get(urlPathEqualTo("/value")).willReturn(aResponse().withBody(" v42 \n")));
    }

    @Test
    void anAllowedRequestReachesTheUpstreamAfterTheCall() {
        gateway.client().get().uri("/auth/orders").header("authorization", "Bearer good").header("x-id", "7")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("upstream 7");

        auth.verify(1, getRequestedFor(urlPathEqualTo("/check"))
            .withHeader("authorization", equalTo("Bearer good"))
            .withHeader("host", equalTo("auth.local")));
        upstream.verify(1, getRequestedFor(urlPathEqualTo("/auth/orders"))
            .withHeader("x-auth-checked", equalTo("yes")));
    }

    @Test
    void aDeniedRequestGetsTheAuthServicesAnswerAndNeverReachesTheUpstream() {
        gateway.client().get().uri("/auth/orders").header("authorization", "Bearer bad")
            .exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().valueEquals("x-auth-denied", "1")
            .expectHeader().contentLength(21)
            .expectBody(String.class).isEqualTo("{\"error\":\"bad token\"}");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    /**
     * One keep-alive connection, one request after the other: a request the filter answers after its call (whose
     * answer arrives on another thread), one it answers at once (its call cannot start), one that goes upstream.
     * Reactor Netty (1.3.6) stops reading a keep-alive connection for good when a request arrives before the
     * previous request's operations have ended and is then answered at once (reactor/reactor-netty#4361); a
     * response completed off its connection's event loop opens exactly that window, so the gateway goes on with
     * every request on its own loop (RequestLoop). Before it did, this hung within a few rounds, every run.
     */
    @Test
    void aKeepAliveConnectionKeepsServingAfterResponsesThatFollowedACallOnAnotherThread() {
        ConnectionProvider oneConnection = ConnectionProvider.create("keep-alive-test", 1);
        try {
            HttpClient client = HttpClient.create(oneConnection).baseUrl("http://localhost:" + gateway.port());
            for (int i = 0; i < 300; i++) {
                assertThat(send(client, "/auth/x", "Bearer bad", i)).as("round %d, refused after the call", i)
                    .isEqualTo("401 {\"error\":\"bad token\"}");
                assertThat(send(client, "/auth-unknown/x", "", i)).as("round %d, answered at once", i)
                    .isEqualTo("500 auth call failed: 2\n");
                assertThat(send(client, "/auth/x", "Bearer good", i)).as("round %d, let through", i)
                    .isEqualTo("200 upstream " + i);
            }
        }
        finally {
            oneConnection.dispose();
        }
    }

    private static String send(HttpClient client, String path, String authorization, int id) {
        return client.headers(headers -> headers.set("authorization", authorization).set("x-id", id))
            .get()
            .uri(path)
            .responseSingle((response, body) -> body.asString()
                .defaultIfEmpty("")
                .map(text -> response.status().code() + " " + text))
            .block(Duration.ofSeconds(10));
    }

    @Test
    void aCallPastItsTimeoutArrivesAsAFailedCall() {
        gateway.client().get().uri("/auth-timeout/x")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("auth service unavailable\n");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRefusedConnectionArrivesAsAFailedCall() {
        gateway.client().get().uri("/auth-refused/x")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("auth service unavailable\n");
    }

    @Test
    void anUnknownClusterIsABadArgumentAndNoCall() {
        gateway.client().get().uri("/auth-unknown/x")
            .exchange()
            .expectStatus().isEqualTo(500)
            .expectBody(String.class).isEqualTo("auth call failed: 2\n");

        auth.verify(0, getRequestedFor(urlPathEqualTo("/check"))); // (the tick filter fetches /value meanwhile)
    }

    @Test
    void aClientThatGivesUpCancelsThePausedRequest() {
        Disposable request = HttpClient.create()
            .get()
            .uri("http://localhost:" + gateway.port() + "/auth-slow/x")
            .responseContent()
            .subscribe();
        await().atMost(Duration.ofSeconds(5))
            .until(() -> !auth.findAll(getRequestedFor(urlPathEqualTo("/slow"))).isEmpty());

        request.dispose();

        // the slow answer comes 3 s later; the request it belonged to is gone, so nothing goes upstream
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
            .untilAsserted(() -> upstream.verify(0, anyRequestedFor(anyUrl())));
    }

    @Test
    void theRootContextFetchesOnItsTimer() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            upstream.resetRequests();
            gateway.client().get().uri("/tick/x").exchange().expectStatus().isOk().expectBody().returnResult();
            upstream.verify(1, getRequestedFor(urlPathEqualTo("/tick/x")).withHeader("x-fetched", equalTo("v42")));
        });
        assertThat(auth.findAll(getRequestedFor(urlPathEqualTo("/value")))).hasSizeGreaterThan(1);
    }

    @Test
    void fiveHundredRequestsPausedOnTheirOwnCallsAreAllAnsweredWithoutHoldingThreads() {
        auth.stubFor(get(urlPathEqualTo("/check")).withHeader("authorization", equalTo("Bearer good"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(1000).withBody("ok")));
        int threadsBefore = Thread.activeCount();
        ConnectionProvider connections = ConnectionProvider.builder("it-500").maxConnections(600)
            .pendingAcquireMaxCount(-1).build();
        HttpClient client = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(30));
        int[] maxThreads = {threadsBefore};
        Disposable sampler = Flux.interval(Duration.ofMillis(50))
            .subscribe(tick -> maxThreads[0] = Math.max(maxThreads[0], Thread.activeCount()));
        try {
            List<String> bodies = Flux.range(0, 500)
                .flatMap(i -> client.headers(h -> h.add("authorization", "Bearer good").add("x-id", i))
                    .get()
                    .uri("http://localhost:" + gateway.port() + "/auth/p/" + i)
                    .responseSingle((response, body) -> body.asString()
                        .map(text -> response.status().code() + " " + text)
                        .defaultIfEmpty(response.status().code() + " ")), 500)
                .collectList()
                .block(Duration.ofSeconds(60));

            assertThat(bodies).hasSize(500);
            assertThat(bodies).containsExactlyInAnyOrderElementsOf(
                    Flux.range(0, 500).map(i -> "200 upstream " + i).collectList().block());
        }
        finally {
            sampler.dispose();
            connections.disposeLater().block(Duration.ofSeconds(5));
        }
        // 500 requests were paused at once for a second each: a thread per request would show here
        System.out.printf("live threads: %d before, at most %d while 500 requests were paused%n", threadsBefore,
                maxThreads[0]);
        assertThat(maxThreads[0] - threadsBefore).isLessThan(100);
    }

    @Test
    void callsAreTimedByClusterAndOutcome() {
        gateway.client().get().uri("/auth/m").header("authorization", "Bearer good").exchange()
            .expectStatus().isOk().expectBody().returnResult();
        gateway.client().get().uri("/auth/m").header("authorization", "Bearer bad").exchange()
            .expectStatus().isUnauthorized().expectBody().returnResult();

        MeterRegistry registry = gateway.context().getBean(MeterRegistry.class);
        assertThat(registry.get("wasm.http.calls").tag("cluster", "auth").tag("outcome", "success").timer()
            .count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("wasm.http.calls").tag("cluster", "auth").tag("outcome", "4xx").timer()
            .count()).isGreaterThanOrEqualTo(1);
    }
}
