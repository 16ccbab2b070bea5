package io.wasmgateway.it.conformance;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Go SDK examples on headers, bodies, local responses, routing and properties, unmodified, through a real
 * gateway. Expectations and configuration come from proxy-wasm-go-sdk's own {@code examples/<name>/main_test.go},
 * {@code envoy.yaml} and {@code e2e/e2e_test.go} (cited per test); the binaries are roastedroot's builds of those
 * examples (commit 98e6502).
 */
@ExtendWith(ConformanceReport.class)
class GoHttpFiltersConformanceTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().templatingEnabled(true));

    static Gateway gateway;

    @BeforeAll
    static void start() {
        ConformanceBinaries.requireFolder();
        upstream.start();
        gateway = Gateway.start("conformance-http", Map.of("upstream.port", upstream.port(),
                "conformance.http-headers", ConformanceBinaries.location("go/http_headers.wasm"),
                "conformance.http-body", ConformanceBinaries.location("go/http_body.wasm"),
                "conformance.http-body-chunk", ConformanceBinaries.location("go/http_body_chunk.wasm"),
                "conformance.json-validation", ConformanceBinaries.location("go/json_validation.wasm"),
                "conformance.http-routing", ConformanceBinaries.location("go/http_routing.wasm"),
                "conformance.properties", ConformanceBinaries.location("go/properties.wasm")), GuestLog.class);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        // the upstream echoes the request body raw, as the e2e test's /anything must for its expected bodies
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("key1", "value1")
            .withHeader("key2", "value2").withBody("{{{request.body}}}").withTransformers("response-template")));
        // envoy.yaml of http_routing: the canary cluster answers for "*-canary" hosts, the primary for the rest
        upstream.stubFor(any(urlPathMatching("/routing.*")).willReturn(aResponse().withBody("hello from primary!\n")));
        upstream.stubFor(any(urlPathMatching("/routing.*")).withHeader("host", matching(".*-canary"))
            .willReturn(aResponse().withBody("hello from canary!\n")));
    }

    // http_headers/main_test.go TestHttpHeaders_OnHttpRequestHeaders; e2e Test_http_headers (the logged header)
    @Test
    @Conformance("go/http_headers.wasm")
    @DisplayName("http_headers: sets request header test: best and logs every request header")
    void httpHeadersOnRequest() {
        gateway.client().get().uri("/headers/uuid").header("key1", "value1").header("key2", "value2")
            .header("this-is-key", "this-is-value")
            .exchange().expectStatus().isOk().expectBody().returnResult();

        upstream.verify(getRequestedFor(urlPathEqualTo("/headers/uuid")).withHeader("test", equalTo("best"))
            .withHeader("key1", equalTo("value1")));
        GuestLog.awaitMessages("http-headers", "request header --> key1: value1", "request header --> key2: value2",
                "request header --> this-is-key: this-is-value", "request header --> test: best");
    }

    // http_headers/main_test.go TestHttpHeaders_OnHttpResponseHeaders (plugin configuration as there)
    @Test
    @Conformance("go/http_headers.wasm")
    @DisplayName("http_headers: adds its constant and its configured response header and logs the response headers")
    void httpHeadersOnResponse() {
        gateway.client().get().uri("/headers/x").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-wasm-header", "x-value")
            .expectHeader().valueEquals("x-proxy-wasm-go-sdk-example", "http_headers")
            .expectHeader().valueEquals("key1", "value1")
            .expectBody().returnResult();

        GuestLog.awaitMessages("http-headers", "header from config: x-wasm-header = x-value",
                "response header <-- key1: value1", "response header <-- key2: value2",
                "response header <-- x-wasm-header: x-value",
                "response header <-- x-proxy-wasm-go-sdk-example: http_headers");
    }

    // http_headers/main_test.go: "<context id> finished" from OnHttpStreamDone
    @Test
    @Conformance("go/http_headers.wasm")
    @DisplayName("http_headers: logs '<context id> finished' when the stream is done")
    void httpHeadersStreamDone() {
        gateway.client().get().uri("/headers/done").exchange().expectStatus().isOk().expectBody().returnResult();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(GuestLog.of("http-headers"))
            .anySatisfy(message -> assertThat(message).matches("\\d+ finished")));
    }

    // e2e Test_http_body: PUT /anything "[original body]" with buffer-replace-at and buffer-operation; the
    // response body is exact, the log has "original <mode> body: [original body]" and no "failed to"
    @ParameterizedTest(name = "http_body: {0} body, operation {1}")
    @CsvSource({
        "request, append, [original body][this is appended body]",
        "request, prepend, [this is prepended body][original body]",
        "request, replace, [this is replaced body]",
        "request, invalid, [this is replaced body]",
        "response, append, [original body][this is appended body]",
        "response, prepend, [this is prepended body][original body]",
        "response, replace, [this is replaced body]",
        "response, invalid, [this is replaced body]" })
    @Conformance("go/http_body.wasm")
    void httpBody(String mode, String operation, String expected) {
        gateway.client().put().uri("/anything").header("buffer-replace-at", mode)
            .header("buffer-operation", operation).contentType(MediaType.TEXT_PLAIN).bodyValue("[original body]")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo(expected);

        GuestLog.awaitMessages("http-body", "original " + mode + " body: [original body]");
        assertThat(GuestLog.of("http-body")).noneMatch(message -> message.contains("failed to"));
    }

    // http_body/main.go: without content-length, a local 400 "content must be provided"
    @Test
    @Conformance("go/http_body.wasm")
    @DisplayName("http_body: a request without content-length gets a local 400")
    void httpBodyWithoutContentLength() {
        gateway.client().get().uri("/anything").exchange()
            .expectStatus().isBadRequest()
            .expectBody(String.class).isEqualTo("content must be provided");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    // http_body/main.go with plugin configuration "echo" (as ngx_wasm_module's go_sdk http_body test runs it)
    @Test
    @Conformance("go/http_body.wasm")
    @DisplayName("http_body: configured 'echo', answers with the request body")
    void httpBodyEcho() {
        gateway.client().put().uri("/echo/x").contentType(MediaType.TEXT_PLAIN).bodyValue("[original body]")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("[original body]");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    // http_body_chunk/main_test.go "pattern found"
    @Test
    @Conformance("go/http_body_chunk.wasm")
    @DisplayName("http_body_chunk: a body with the pattern gets a local 403 naming the chunk")
    void httpBodyChunkPatternFound() {
        gateway.client().post().uri("/chunk/x").contentType(MediaType.TEXT_PLAIN)
            .bodyValue("This is a payload with the pattern word.")
            .exchange()
            .expectStatus().isForbidden()
            .expectHeader().valueEquals("powered-by", "proxy-wasm-go-sdk")
            .expectBody(String.class).isEqualTo("pattern found in chunk: 1");

        upstream.verify(0, anyRequestedFor(anyUrl()));
        GuestLog.awaitMessages("http-body-chunk", "pattern found in chunk: 1", "local 403 response sent");
    }

    // http_body_chunk/main_test.go "pattern found multiple chunks": the body streamed in four chunks
    @Test
    @Conformance("go/http_body_chunk.wasm")
    @DisplayName("http_body_chunk: a streamed body is read chunk by chunk until the pattern, then a local 403")
    void httpBodyChunkStreamed() {
        Flux<String> chunks = Flux.just("chunk1...", "chunk2...", "chunk3...", "chunk4 with pattern ...")
            .delayElements(Duration.ofMillis(200));
        String answer = HttpClient.create()
            .post()
            .uri("http://localhost:" + gateway.port() + "/chunk/streamed")
            .send(ByteBufFlux.fromString(chunks))
            .responseSingle((response, body) -> body.asString().map(text -> response.status().code() + " " + text))
            .block(Duration.ofSeconds(30));

        assertThat(answer).startsWith("403 pattern found in chunk: ");
        upstream.verify(0, anyRequestedFor(anyUrl()));
        assertThat(GuestLog.of("http-body-chunk")).noneMatch(message -> message.contains("read data does not match"));
    }

    // http_body_chunk/main_test.go "pattern not found"
    @Test
    @Conformance("go/http_body_chunk.wasm")
    @DisplayName("http_body_chunk: a body without the pattern reaches the upstream whole")
    void httpBodyChunkPatternNotFound() {
        gateway.client().post().uri("/chunk/x").contentType(MediaType.TEXT_PLAIN)
            .bodyValue("This is a generic payload.")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("This is a generic payload.");

        GuestLog.awaitMessages("http-body-chunk", "pattern not found");
        assertThat(GuestLog.of("http-body-chunk")).noneMatch(message -> message.contains("does not match"));
    }

    // e2e Test_json_validation: GET without content-type is 403; POST JSON with id and token reaches the upstream
    @Test
    @Conformance("go/json_validation.wasm")
    @DisplayName("json_validation: no JSON content-type gets a local 403")
    void jsonValidationWithoutContentType() {
        gateway.client().get().uri("/json/x").exchange()
            .expectStatus().isForbidden()
            .expectBody(String.class).isEqualTo("content-type must be provided");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    @Conformance("go/json_validation.wasm")
    @DisplayName("json_validation: a JSON body with the required keys reaches the upstream")
    void jsonValidationValidPayload() {
        String json = "{\"id\": \"abc123\", \"token\": \"xyz456\"}";
        gateway.client().post().uri("/json/x").header("content-type", "application/json").bodyValue(json)
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo(json);
    }

    // json_validation/main.go (main_test.go's invalid cases): a missing required key or invalid JSON is 403
    @ParameterizedTest(name = "json_validation: {0} gets a local 403 invalid payload")
    @CsvSource(delimiter = '|', value = {
        "a body without the key token | {\"id\": \"abc123\"}",
        "a body that is not JSON | {\"id\": " })
    @Conformance("go/json_validation.wasm")
    void jsonValidationInvalidPayload(String what, String body) {
        gateway.client().post().uri("/json/x").header("content-type", "application/json").bodyValue(body)
            .exchange()
            .expectStatus().isForbidden()
            .expectBody(String.class).isEqualTo("invalid payload");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    // http_routing/main_test.go "canary" (configuration [2]): :authority becomes "my-host.com-canary"; Envoy then
    // routes by virtual host, here the upstream answers by Host (the gateway sends the filter's :authority)
    @Test
    @Conformance("go/http_routing.wasm")
    @DisplayName("http_routing: configured dice 2 appends -canary to :authority, the canary answers")
    void httpRoutingCanary() {
        gateway.client().get().uri("/routing-canary/x").header("host", "my-host.com").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("hello from canary!\n");

        upstream.verify(getRequestedFor(urlPathEqualTo("/routing-canary/x"))
            .withHeader("host", equalTo("my-host.com-canary")));
    }

    // http_routing/main_test.go "non-canary" (configuration [1]): :authority is left alone (the Host the upstream
    // then sees is the route's, Spring Cloud Gateway's default, where Envoy would keep the client's)
    @Test
    @Conformance("go/http_routing.wasm")
    @DisplayName("http_routing: configured dice 1 leaves :authority alone, the primary answers")
    void httpRoutingPrimary() {
        gateway.client().get().uri("/routing-primary/x").header("host", "my-host.com").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("hello from primary!\n");

        assertThat(GuestLog.of("http-routing")).contains("value: 1\n");
    }

    // e2e Test_http_routing: with a random dice, requests reach both the primary and the canary
    @Test
    @Conformance("go/http_routing.wasm")
    @DisplayName("http_routing: a random dice sends requests to both the primary and the canary")
    void httpRoutingRandom() {
        Set<String> seen = new HashSet<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            seen.add(gateway.client().get().uri("/routing/x").header("host", "my-host.com").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            return seen.size() == 2;
        });
        assertThat(seen).containsExactlyInAnyOrder("hello from primary!\n", "hello from canary!\n");
    }

    // properties/main_test.go "user is authenticated": route metadata auth = cookie, the request has a cookie
    @Test
    @Conformance("go/properties.wasm")
    @DisplayName("properties: reads the route's metadata (auth header cookie) and lets an authenticated request through")
    void propertiesAuthenticated() {
        gateway.client().get().uri("/one/x").header("cookie", "value").exchange()
            .expectStatus().isOk().expectBody().returnResult();
        gateway.client().get().uri("/two/x").header("authorization", "Bearer x").exchange()
            .expectStatus().isOk().expectBody().returnResult();

        GuestLog.awaitMessages("properties", "auth header is \"cookie\"", "auth header is \"authorization\"");
    }

    // properties/main_test.go "user is unauthenticated": 401, no body
    @Test
    @Conformance("go/properties.wasm")
    @DisplayName("properties: a request without the route's auth header gets a local 401 without body")
    void propertiesUnauthenticated() {
        byte[] body = gateway.client().get().uri("/one/x").exchange()
            .expectStatus().isUnauthorized()
            .expectBody().returnResult().getResponseBody();

        assertThat(body).isNullOrEmpty();
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    // properties/main_test.go "route is unauthenticated": no metadata, NOT_FOUND, the request continues
    @Test
    @Conformance("go/properties.wasm")
    @DisplayName("properties: a route without metadata lets the request through ('no auth header for route')")
    void propertiesRouteWithoutMetadata() {
        gateway.client().get().uri("/three/x").exchange().expectStatus().isOk().expectBody().returnResult();

        GuestLog.awaitMessages("properties", "no auth header for route");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(GuestLog.of("properties"))
            .anySatisfy(message -> assertThat(message).matches("\\d+ finished")));
    }
}
