package io.wasmgateway.it.conformance;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
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
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Filters built with the Rust SDK ({@code examples/hello_world}, {@code examples/envoy_filter_metadata}) and the
 * C++ SDK (roastedroot's {@code cc-examples/on_request_headers}), unmodified, through a real gateway. Expectations
 * come from the Rust examples' sources and READMEs and from roastedroot/proxy-wasm-java-host's
 * {@code RustHelloWorldTest}, {@code RustEnvoyFilterMetadataTest} and {@code OnRequestHeadersTest}.
 */
@ExtendWith(ConformanceReport.class)
class RustAndCppConformanceTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        ConformanceBinaries.requireFolder();
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("upstream\n")));
        gateway = Gateway.start("conformance-sdks", Map.of("upstream.port", upstream.port(),
                "conformance.rust-hello-world", ConformanceBinaries.location("rust/hello_world.wasm"),
                "conformance.rust-envoy-filter-metadata",
                ConformanceBinaries.location("rust/envoy_filter_metadata.wasm"),
                "conformance.cpp-on-request-headers", ConformanceBinaries.location("cpp/on_request_headers.wasm")),
                GuestLog.class);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        upstream.stop();
    }

    // RustHelloWorldTest: the first message is "Hello, World!" (on_vm_start)
    @Test
    @Conformance("rust/hello_world.wasm")
    @DisplayName("hello_world: logs 'Hello, World!' from on_vm_start")
    void rustHelloWorldStart() {
        assertThat(GuestLog.of("rust-hello-world")).startsWith("Hello, World!");
    }

    // RustHelloWorldTest: after a tick, "...your lucky number is <n>." (hello_world/src/lib.rs: every 5 s)
    @Test
    @Conformance("rust/hello_world.wasm")
    @DisplayName("hello_world: logs its lucky number on the 5 s tick")
    void rustHelloWorldTick() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(GuestLog.of("rust-hello-world"))
            .anySatisfy(message -> assertThat(message).matches("It's .*, your lucky number is \\d+\\.")));
    }

    // envoy_filter_metadata/src/lib.rs and README: without the Lua filter's metadata the request goes on
    @Test
    @Conformance("rust/envoy_filter_metadata.wasm")
    @DisplayName("envoy_filter_metadata: without the metadata property the request reaches the upstream")
    void rustEnvoyFilterMetadataAbsent() {
        gateway.client().get().uri("/metadata/x").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("upstream\n");

        upstream.verify(getRequestedFor(urlPathEqualTo("/metadata/x")));
    }

    // OnRequestHeadersTest: "print from wasm, onRequestHeaders, context id: 2" (debug), then one info line per
    // request header "print from wasm, <name> -> <value>" (roastedroot's build names its source http.cc, lines
    // 36 and 41; the test's expected strings name http_wasm_example.cc, 33 and 38)
    @Test
    @Conformance("cpp/on_request_headers.wasm")
    @DisplayName("on_request_headers: logs its context id and every request header, and lets the request through")
    void cppOnRequestHeaders() {
        gateway.client().get().uri("/cpp/x").header("hello", "World").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("upstream\n");

        GuestLog.awaitMessages("cpp-on-request-headers",
                "[http.cc:36]::onRequestHeaders() print from wasm, onRequestHeaders, context id: 2",
                "[http.cc:41]::onRequestHeaders() print from wasm, hello -> World",
                "[http.cc:41]::onRequestHeaders() print from wasm, :path -> /cpp/x");
    }
}
