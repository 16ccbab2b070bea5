package io.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.wasmgateway.host.shared.SharedData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The host-only tester on our example filters (C, raw ABI): each kind of assertion a filter author needs. */
class FilterTesterTest {

    @Test
    void headerChangesBothWaysAndLogs() {
        try (FilterTester filter = FilterTester.builderForResource("filters/header_filter.wasm")
            .name("headers")
            .configuration("request add x-wasm-c: yes; request remove x-secret; response set server: wasm-gateway")
            .build()) {
            assertThat(filter.logs().at("info")).contains("[headers] header_filter: 3 rules"); // its stdout

            TestExchange exchange = filter.request("GET", "/hello").header("x-secret", "s3cr3t").send();
            assertThat(exchange.continued()).isTrue();
            assertThat(exchange.requestHeader("x-wasm-c")).isEqualTo("yes");
            assertThat(exchange.requestHeader("x-secret")).isNull();

            exchange.respond(200, true, "server", "upstream");
            assertThat(exchange.responseHeader("server")).isEqualTo("wasm-gateway");
            exchange.finish();
        }
    }

    @Test
    void aLocalResponse() {
        try (FilterTester filter = FilterTester.builderForResource("filters/deny_filter.wasm")
            .configuration("path-prefix /admin")
            .build()) {
            TestExchange denied = filter.request("GET", "/admin/users").send();
            assertThat(denied.localResponse().status()).isEqualTo(403);
            assertThat(denied.localResponseBody()).isEqualTo("denied by wasm\n");
            assertThat(denied.localResponse().headers()).extracting(java.util.Map.Entry::getKey)
                .contains("x-denied-by");
            denied.finish();

            assertThat(filter.request("GET", "/public").send().continued()).isTrue();
        }
    }

    @Test
    void anOutboundCallAnsweredByAStubPausesAndResumes() {
        try (FilterTester filter = FilterTester.builderForResource("filters/auth_filter.wasm")
            .configuration("cluster auth; path /check")
            .stub("auth", request -> request.headers().contains(java.util.Map.entry("authorization", "Bearer good"))
                    ? TestResponses.status(200, "ok") : TestResponses.status(401, "bad token"))
            .build()) {
            filter.upstreams().hold("auth");
            TestExchange good = filter.request("GET", "/orders").header("authorization", "Bearer good").send();
            assertThat(good.paused()).isTrue();
            assertThat(good.resumed()).isFalse();
            assertThat(filter.upstreams().release()).isEqualTo(1);
            assertThat(good.resumed()).isTrue();
            assertThat(good.continued()).isTrue();
            assertThat(good.requestHeader("x-auth-checked")).isEqualTo("yes");
            assertThat(filter.upstreams().calls()).singleElement()
                .satisfies(call -> assertThat(call.headers()).contains(java.util.Map.entry(":path", "/check")));
            good.finish();
        }
    }

    @Test
    void aDeniedCallEndsInTheAuthServicesAnswer() {
        try (FilterTester filter = FilterTester.builderForResource("filters/auth_filter.wasm")
            .configuration("cluster auth")
            .stub("auth", request -> TestResponses.status(401, "bad token"))
            .build()) {
            TestExchange denied = filter.request("GET", "/orders").send();
            assertThat(denied.resumed()).isTrue();
            assertThat(denied.localResponse().status()).isEqualTo(401);
            assertThat(denied.localResponseBody()).isEqualTo("bad token");
            denied.finish();
        }
    }

    @Test
    void ticksRunWhenTheTestAdvancesItsClock() {
        try (FilterTester filter = FilterTester.builderForResource("filters/tick_filter.wasm")
            .configuration("cluster config; period 1000")
            .stub("config", request -> TestResponses.status(200, " v42 \n"))
            .build()) {
            assertThat(filter.request("GET", "/a").send().requestHeader("x-fetched")).isEqualTo("none");
            assertThat(filter.upstreams().calls()).isEmpty();

            filter.advance(Duration.ofMillis(999));
            assertThat(filter.upstreams().calls()).isEmpty();
            filter.advance(Duration.ofMillis(1));
            assertThat(filter.upstreams().calls()).hasSize(1);
            assertThat(filter.request("GET", "/b").send().requestHeader("x-fetched")).isEqualTo("v42");

            filter.advance(Duration.ofSeconds(3));
            assertThat(filter.upstreams().calls()).hasSize(4);
        }
    }

    @Test
    void metricsAndSharedData() {
        try (FilterTester metrics = FilterTester.builderForResource("filters/metrics_filter.wasm")
            .configuration("prefix shop")
            .build()) {
            metrics.request("POST", "/cart").header("content-length", "12").send().respond(201, true).finish();
            metrics.request("GET", "/cart").send().respond(200, true).finish();
            assertThat(metrics.metrics().value("shop.requests.method.POST")).isEqualTo(1);
            assertThat(metrics.metrics().value("shop.requests.method.GET")).isEqualTo(1);
            assertThat(metrics.metrics().value("shop.last_status")).isEqualTo(200);
        }
        try (FilterTester counter = FilterTester.builderForResource("filters/counter_filter.wasm")
            .configuration("key hits")
            .build()) {
            counter.request("GET", "/").send().finish();
            assertThat(counter.request("GET", "/").send().requestHeader("x-counter")).isEqualTo("2");
            SharedData.Value hits = counter.sharedData().get("hits");
            assertThat(new String(hits.value(), StandardCharsets.UTF_8)).isEqualTo("2");
        }
    }

    @Test
    void bodyChanges() {
        try (FilterTester filter = FilterTester.builderForResource("filters/body_rewrite_filter.wasm")
            .configuration("from world; to wasm")
            .build()) {
            TestExchange exchange = filter.request("GET", "/").send().respond(200, false, "content-length", "22");
            exchange.responseBody("hello world, ", false);
            assertThat(exchange.paused()).isTrue();
            exchange.responseBody("bye world", true);
            assertThat(exchange.continued()).isTrue();
            assertThat(exchange.responseBody()).isEqualTo("hello wasm, bye wasm");
            assertThat(exchange.responseHeader("x-body-rewrites")).isEqualTo("2");
            exchange.finish();
        }
    }

    @Test
    void aTextModule() {
        String wat = """
                (module
                  (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 16) "hello from wat")
                  (func (export "proxy_abi_version_0_2_1"))
                  (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 1024))
                  (func (export "proxy_on_context_create") (param i32 i32))
                  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                    (drop (call $log (i32.const 1) (i32.const 16) (i32.const 14)))
                    (i32.const 0)))
                """;
        try (FilterTester filter = FilterTester.builder("tiny.wat", wat.getBytes(StandardCharsets.UTF_8)).build()) {
            filter.request("GET", "/").send().finish();
            assertThat(filter.logs().at("debug")).containsExactly("hello from wat");
        }
    }
}
