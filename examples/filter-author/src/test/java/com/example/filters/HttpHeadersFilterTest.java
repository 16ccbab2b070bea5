package com.example.filters;

import io.wasmgateway.test.FilterTester;
import io.wasmgateway.test.TestExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Go SDK's http_headers filter on the host alone: no Spring, no network. Expectations from the SDK's own
 * examples/http_headers/main_test.go.
 */
@EnabledIf(value = "com.example.filters.SdkFilters#present", disabledReason = SdkFilters.ABSENT)
class HttpHeadersFilterTest {

    @Test
    void setsARequestHeaderAndItsConfiguredResponseHeader() {
        try (FilterTester filter = FilterTester.builder(SdkFilters.httpHeaders())
            .name("http-headers")
            .configuration("{\"header\": \"x-wasm-header\", \"value\": \"x-value\"}")
            .build()) {
            TestExchange exchange = filter.request("GET", "/uuid").header("key1", "value1").send();
            assertThat(exchange.continued()).isTrue();
            assertThat(exchange.requestHeader("test")).isEqualTo("best");

            exchange.respond(200, true, "key2", "value2");
            assertThat(exchange.responseHeader("x-wasm-header")).isEqualTo("x-value");
            assertThat(exchange.responseHeader("x-proxy-wasm-go-sdk-example")).isEqualTo("http_headers");
            exchange.finish();

            assertThat(filter.logs().at("info")).contains("header from config: x-wasm-header = x-value",
                    "request header --> key1: value1", "request header --> test: best",
                    "response header <-- key2: value2", "response header <-- x-wasm-header: x-value");
            assertThat(filter.logs().at("info")).anySatisfy(line -> assertThat(line).matches("\\d+ finished"));
        }
    }
}
