package io.wasmgateway.it.conformance;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Go SDK examples on shared data, shared queues between two modules, metrics, VM and plugin configuration, and
 * the L4 network example on an HTTP route, unmodified, through a real gateway. Expectations come from
 * proxy-wasm-go-sdk's {@code e2e/e2e_test.go}, {@code examples/<name>/main_test.go} and {@code envoy.yaml}.
 */
@ExtendWith(ConformanceReport.class)
class GoSharedStateConformanceTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        ConformanceBinaries.requireFolder();
        upstream.start();
        gateway = Gateway.start("conformance-shared", Map.of("upstream.port", upstream.port(),
                "conformance.shared-data", ConformanceBinaries.location("go/shared_data.wasm"),
                "conformance.shared-queue-receiver", ConformanceBinaries.location("go/shared_queue_receiver.wasm"),
                "conformance.shared-queue-sender", ConformanceBinaries.location("go/shared_queue_sender.wasm"),
                "conformance.metrics", ConformanceBinaries.location("go/metrics.wasm"),
                "conformance.network", ConformanceBinaries.location("go/network.wasm"),
                "conformance.vm-plugin-configuration",
                ConformanceBinaries.location("go/vm_plugin_configuration.wasm")), GuestLog.class);
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
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("example body\n")));
    }

    // shared_data/main_test.go TestData (OnVMStart stores an empty value; each request increments with CAS);
    // e2e Test_shared_data: "shared value: <n>" after n requests
    @Test
    @Conformance("go/shared_data.wasm")
    @DisplayName("shared_data: the empty value set at VM start is incremented with CAS on each request")
    void sharedData() {
        for (int i = 0; i < 10; i++) {
            gateway.client().get().uri("/shared/" + i).exchange().expectStatus().isOk().expectBody().returnResult();
        }

        GuestLog.awaitMessages("shared-data", "shared value: 1", "shared value: 3", "shared value: 10");
        assertThat(GuestLog.of("shared-data")).noneMatch(message -> message.startsWith("error"));
    }

    // e2e Test_shared_queue: the sender (vm_id sender, configuration "http") enqueues request and response
    // headers to the receiver VM's queues (vm_id receiver, one plugin per queue), which dequeues them
    @Test
    @Conformance({ "go/shared_queue_sender.wasm", "go/shared_queue_receiver.wasm" })
    @DisplayName("shared_queue: headers enqueued by the sender module are dequeued by the receiver module")
    void sharedQueue() {
        gateway.client().get().uri("/send/x").exchange().expectStatus().isOk().expectBody().returnResult();

        GuestLog.awaitMessages("sender", "enqueued data: {\"key\": \":method\",\"value\": \"GET\"}");
        GuestLog.awaitContaining("receiver", "dequeued data from http_request_headers",
                "dequeued data from http_response_headers", "{\"key\": \":method\",\"value\": \"GET\"}",
                "{\"key\": \":status\",\"value\": \"200\"}");
    }

    // receiver/main.go and sender/main.go: OnPluginStart of each plugin
    @Test
    @Conformance({ "go/shared_queue_sender.wasm", "go/shared_queue_receiver.wasm" })
    @DisplayName("shared_queue: each receiver plugin registers its queue, the sender is configured for http")
    void sharedQueueStart() {
        GuestLog.awaitContaining("receiver", "queue \"http_request_headers\" registered as queueID=",
                "queue \"http_response_headers\" registered as queueID=", "queue \"tcp_data_hashes\" registered as queueID=");
        GuestLog.awaitContaining("sender", "is configured for http");
    }

    // metrics/main_test.go TestMetric: counter custom_header_value_counts_value=foo_reporter=wasmgosdk is 3 after
    // three requests; e2e Test_metrics: foo 3, bar 5 (Envoy's tag extraction, set in its bootstrap, is not ours)
    @Test
    @Conformance("go/metrics.wasm")
    @DisplayName("metrics: a counter per my-custom-header value counts the requests")
    void metrics() {
        for (int i = 0; i < 3; i++) {
            request("/metrics/x", "foo");
        }
        for (int i = 0; i < 5; i++) {
            request("/metrics/x", "bar");
        }

        MeterRegistry registry = gateway.context().getBean(MeterRegistry.class);
        assertThat(registry.get("wasm.filter.custom_header_value_counts_value=foo_reporter=wasmgosdk")
            .tag("module", "metrics").counter().count()).isEqualTo(3.0);
        assertThat(registry.get("wasm.filter.custom_header_value_counts_value=bar_reporter=wasmgosdk")
            .tag("module", "metrics").counter().count()).isEqualTo(5.0);
    }

    private static void request(String path, String header) {
        gateway.client().get().uri(path).header("my-custom-header", header).exchange()
            .expectStatus().isOk().expectBody().returnResult();
    }

    // e2e Test_vm_plugin_configuration: both configurations are read and logged
    @Test
    @Conformance("go/vm_plugin_configuration.wasm")
    @DisplayName("vm_plugin_configuration: reads its VM configuration at VM start and its plugin configuration")
    void vmPluginConfiguration() {
        GuestLog.awaitContaining("vm-plugin-configuration", "vm config: {", "name\": \"vm configuration",
                "plugin config: {", "name\": \"plugin configuration");
    }

    // network/main.go is an L4 filter (Envoy runs it as envoy.filters.network.wasm): its plugin loads, and an HTTP
    // route using it answers by the module's failure policy at once, never hangs
    @Test
    @Conformance("go/network.wasm")
    @DisplayName("network (L4): loads; a request on an HTTP route is answered 503 by the failure policy, no hang")
    void network() {
        gateway.client().get().uri("/network/x").exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("wasm filter failed\n");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }
}
