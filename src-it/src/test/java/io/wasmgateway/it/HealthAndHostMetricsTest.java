package io.wasmgateway.it;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.WasmInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** The host's own metrics count every callback, trap and replaced instance; health reports the instances. */
class HealthAndHostMetricsTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        gateway = Gateway.start("health", Map.of("upstream.port", upstream.port(),
                "trap.location", Fixtures.compiled("trap_filter")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void aTrapIsCountedAndTheInstanceReplacedSoHealthStaysUp() {
        gateway.client().get().uri("/actuator/health/wasm").exchange()
            .expectStatus().isOk()
            .expectBody().jsonPath("$.status").isEqualTo("UP")
            .jsonPath("$.details.fragile.status").isEqualTo("LOADED");

        gateway.client().get().uri("/fragile/x").exchange().expectStatus().isEqualTo(503).expectBody().returnResult();
        WasmInstances.awaitReplaced(gateway, "fragile", 1, true);

        gateway.client().get().uri("/actuator/health/wasm").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.status").isEqualTo("UP")
            .jsonPath("$.details.fragile.status").isEqualTo("LOADED")
            .jsonPath("$.details.fragile.broken").isEqualTo(0)
            .jsonPath("$.details.fragile.replaced").isEqualTo(1);

        MeterRegistry meters = gateway.context().getBean(MeterRegistry.class);
        assertThat(meters.get("wasm.traps").tag("module", "fragile").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("wasm.requests").tag("module", "fragile").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("wasm.instances.broken").tag("module", "fragile").gauge().value()).isEqualTo(0.0);
        assertThat(meters.get("wasm.instances.replaced").tag("module", "fragile").functionCounter().count())
            .isEqualTo(1.0);
        // root context creation and configuration, then the request's header callback
        assertThat(meters.get("wasm.callback.duration").tag("module", "fragile")
            .tag("callback", "proxy_on_request_headers").timer().count()).isEqualTo(1);
        gateway.client().get().uri("/actuator/wasm").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.callbacks.fragile.proxy_on_request_headers.count").isEqualTo(1)
            .jsonPath("$.callbacks.fragile.proxy_on_request_headers.traps").isEqualTo(1);
    }
}
