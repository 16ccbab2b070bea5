package io.wasmgateway.it.conformance;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Go SDK examples that make http calls, tick, postpone requests and call foreign functions, unmodified, through a
 * real gateway whose clusters are WireMock. Expectations come from proxy-wasm-go-sdk's {@code e2e/e2e_test.go},
 * {@code examples/<name>/main_test.go} and {@code envoy.yaml}, and for {@code unit_tester} (roastedroot's own test
 * filter) from roastedroot/quarkus-proxy-wasm's integration tests; cited per test.
 */
@ExtendWith(ConformanceReport.class)
class GoCallsAndTimersConformanceTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().templatingEnabled(true));

    static final WireMockServer calls = new WireMockServer(wireMockConfig().dynamicPort().templatingEnabled(true));

    static Gateway gateway;

    @BeforeAll
    static void start() {
        ConformanceBinaries.requireFolder();
        upstream.start();
        calls.start();
        gateway = Gateway.start("conformance-calls", Map.of("upstream.port", upstream.port(),
                "calls.port", calls.port(),
                "conformance.http-auth-random", ConformanceBinaries.location("go/http_auth_random.wasm"),
                "conformance.multiple-dispatches", ConformanceBinaries.location("go/multiple_dispatches.wasm"),
                "conformance.dispatch-call-on-tick", ConformanceBinaries.location("go/dispatch_call_on_tick.wasm"),
                "conformance.postpone-requests", ConformanceBinaries.location("go/postpone_requests.wasm"),
                "conformance.foreign-call-on-tick", ConformanceBinaries.location("go/foreign_call_on_tick.wasm"),
                "conformance.helloworld", ConformanceBinaries.location("go/helloworld.wasm"),
                "conformance.unit-tester", ConformanceBinaries.location("go/unit_tester.wasm")), GuestLog.class);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        calls.stop();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("example body\n")));
        // quarkus-proxy-wasm Resources.java: /headerTests answers "counter: <x-request-counter>"
        upstream.stubFor(get(urlPathEqualTo("/headerTests")).willReturn(aResponse()
            .withBody("counter: {{request.headers.x-request-counter}}").withTransformers("response-template")));
        calls.resetAll();
        calls.stubFor(any(anyUrl()).willReturn(aResponse().withBody("example body\n")));
        // httpbin's /uuid: a random UUID, so that the filter's hash of the answer is even or odd
        calls.stubFor(get(urlPathEqualTo("/uuid")).willReturn(aResponse().withHeader("content-type", "application/json")
            .withBody("{\"uuid\": \"{{randomValue type='UUID'}}\"}").withTransformers("response-template")));
        // dispatch_call_on_tick/envoy.yaml: /ok answers 200 "example body\n", /fail 503;
        // quarkus-proxy-wasm Resources.java: /ok echoes each request header as echo-<name>
        // (unit_tester/http_call.go appends :path /ok after the request's own :path; which of a repeated pseudo-header
        // counts differs: roastedroot's host keeps the last, Envoy appends with a comma, the call here goes to the
        // request's path, so the cluster answers that path as /ok)
        calls.stubFor(any(urlPathMatching("/ok|/httpCallTests")).willReturn(aResponse().withStatus(200)
            .withHeader("echo-test", "{{request.headers.test}}").withBody("ok").withTransformers("response-template")));
        calls.stubFor(get(urlPathEqualTo("/fail")).willReturn(aResponse().withStatus(503)));
    }

    // e2e Test_http_auth_random: requests with this-is-key are granted or forbidden by the call's answer
    @Test
    @Conformance("go/http_auth_random.wasm")
    @DisplayName("http_auth_random: the call to httpbin grants (upstream) or forbids (local 403) each request")
    void httpAuthRandom() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            int status = gateway.client().get().uri("/uuid").header("this-is-key", "this-is-value").exchange()
                .expectBody(String.class).returnResult().getStatus().value();
            assertThat(status).isIn(200, 403);
            assertThat(GuestLog.of("http-auth-random")).contains("access forbidden", "access granted",
                    "response header from httpbin: :status: 200");
        });
        assertThat(GuestLog.of("http-auth-random")).contains("request header: this-is-key: this-is-value",
                "http call dispatched to httpbin");
        calls.verify(getRequestedFor(urlPathEqualTo("/uuid")));
    }

    // http_auth_random/main.go: the forbidden answer is a local 403 "access forbidden" with powered-by
    @Test
    @Conformance("go/http_auth_random.wasm")
    @DisplayName("http_auth_random: a forbidden request gets 403 'access forbidden' with powered-by, never the upstream")
    void httpAuthRandomForbidden() {
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.client().get().uri("/uuid").exchange()
            .expectBody(String.class).returnResult().getStatus().value() == 403);
        gateway.client().get().uri("/uuid").exchange().expectBody().returnResult();
        upstream.resetRequests();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> gateway.client().get().uri("/uuid").exchange()
            .expectStatus().isForbidden()
            .expectHeader().valueEquals("powered-by", "proxy-wasm-go-sdk!!")
            .expectBody(String.class).isEqualTo("access forbidden"));
    }

    // e2e Test_multiple_dispatches: ten calls from the response headers, the response resumed after the tenth
    @Test
    @Conformance("go/multiple_dispatches.wasm")
    @DisplayName("multiple_dispatches: ten calls with an empty :authority, the response resumed after the last one")
    void multipleDispatches() {
        gateway.client().get().uri("/dispatches/x").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("total-dispatched", "10")
            .expectBody(String.class).isEqualTo("example body\n");

        GuestLog.awaitMessages("multiple-dispatches", "pending dispatched requests: 9",
                "pending dispatched requests: 5", "pending dispatched requests: 1",
                "response resumed after processed 10 dispatched request");
        calls.verify(10, getRequestedFor(urlPathEqualTo("/")));
    }

    // e2e Test_dispatch_call_on_tick: each root context (plugin1, plugin2) calls on every 100 ms tick and logs
    // "called <n> for contextID=<its id>", with the answers' :status 200 and 503
    @Test
    @Conformance("go/dispatch_call_on_tick.wasm")
    @DisplayName("dispatch_call_on_tick: both root contexts call web_service on their ticks and see 200 and 503")
    void dispatchCallOnTick() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(GuestLog.of("dispatch-call-on-tick"))
                .contains("response header for the dispatched call: :status: 200",
                        "response header for the dispatched call: :status: 503");
            assertThat(GuestLog.of("dispatch-call-on-tick").stream().filter(m -> m.matches("called 5 for contextID=\\d+"))
                .distinct()).hasSize(2);
        });
        assertThat(GuestLog.of("dispatch-call-on-tick")).contains("set tick period milliseconds: 100");
    }

    // e2e Test_postpone_requests: the request is paused, resumed on the next tick, and answered
    @Test
    @Conformance("go/postpone_requests.wasm")
    @DisplayName("postpone_requests: a request paused in its headers is resumed from the tick with SetEffectiveContext")
    void postponeRequests() {
        gateway.client().get().uri("/postpone/x").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("example body\n");

        String postponed = GuestLog.of("postpone-requests").stream()
            .filter(m -> m.startsWith("postpone request with contextID=")).findFirst().orElseThrow();
        GuestLog.awaitMessages("postpone-requests", postponed.replace("postpone", "resume"));
    }

    // e2e Test_foreign_call_on_tick: "foreign function (compress) called: <n>" on every tick
    @Test
    @Conformance("go/foreign_call_on_tick.wasm")
    @DisplayName("foreign_call_on_tick: the root context calls the foreign function on every 1 ms tick")
    void foreignCallOnTick() {
        GuestLog.awaitContaining("foreign-call-on-tick", "foreign function (compress) called: 1,",
                "foreign function (compress) called: 5,");
    }

    // foreign_call_on_tick/main.go against Envoy's built-in "compress" (source/extensions/common/wasm/foreign.cc:
    // zlib compress()): the call succeeds and returns the zlib stream of "hello world!"
    @Test
    @Conformance("go/foreign_call_on_tick.wasm")
    @DisplayName("foreign_call_on_tick: Envoy's compress foreign function returns the zlib stream")
    void foreignCompress() {
        GuestLog.awaitContaining("foreign-call-on-tick",
                "foreign function (compress) called: 2, result: 789ccb48cdc9c95728cf2fca495104001e89047e");
        assertThat(GuestLog.of("foreign-call-on-tick")).noneMatch(m -> m.contains("failed"));
    }

    // e2e Test_helloworld: "OnPluginStart from Go!", then "It's <time>: random value: <n>" on the 1 s tick
    @Test
    @Conformance("go/helloworld.wasm")
    @DisplayName("helloworld: logs from OnPluginStart and from its 1 s tick")
    void helloworld() {
        GuestLog.awaitMessages("helloworld", "OnTick called");
        assertThat(GuestLog.of("helloworld")).anySatisfy(m -> assertThat(m).matches("It's \\d+: random value: \\d+"));
    }

    @Test
    @Conformance("go/helloworld.wasm")
    @DisplayName("helloworld: an HTTP request passes through its default HTTP context")
    void helloworldPassesRequests() {
        gateway.client().get().uri("/helloworld/x").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("example body\n");
    }

    // quarkus-proxy-wasm HeadersTest.testShared: one plugin's counter across requests, in both directions
    @Test
    @Conformance("go/unit_tester.wasm")
    @DisplayName("unit_tester headerTests: counts requests into x-request-counter and x-response-counter")
    void unitTesterHeaders() {
        String first = gateway.client().get().uri("/headerTests").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseHeaders().getFirst("x-response-counter");
        int n = Integer.parseInt(first);
        gateway.client().get().uri("/headerTests").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-response-counter", Integer.toString(n + 1))
            .expectBody(String.class).isEqualTo("counter: " + (n + 1));
    }

    // quarkus-proxy-wasm TickTest: get, enable (ticks every 100 ms), disable, and the count stays
    @Test
    @Conformance("go/unit_tester.wasm")
    @DisplayName("unit_tester tickTests: ticks are enabled and disabled from requests and counted")
    void unitTesterTicks() {
        gateway.client().get().uri("/tickTests/get").exchange().expectStatus().isOk()
            .expectBody(String.class).isEqualTo("0");
        gateway.client().get().uri("/tickTests/enable").exchange().expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.parseInt(tickCount()) >= 1);
        gateway.client().get().uri("/tickTests/disable").exchange().expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");
        String counted = tickCount();

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
            .until(() -> tickCount().equals(counted));
    }

    private static String tickCount() {
        return gateway.client().get().uri("/tickTests/get").exchange().expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody();
    }

    // quarkus-proxy-wasm HttpCallTest.test: the filter calls web_service /ok and answers with the call's answer.
    // unit_tester/http_call.go calls from OnHttpRequestBody at end of stream; roastedroot's host calls it for a
    // GET without body too, Envoy does not (decodeHeaders with end_stream): here the request carries a body
    @Test
    @Conformance("go/unit_tester.wasm")
    @DisplayName("unit_tester httpCallTests: answers with the http call's status, headers and body")
    void unitTesterHttpCall() {
        gateway.client().post().uri("/httpCallTests").header("test", "ok").bodyValue("x").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("echo-test", "ok")
            .expectBody(String.class).isEqualTo("ok");
    }
}
