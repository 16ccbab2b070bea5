package io.wasmgateway.it;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.hamcrest.Matchers.containsString;

/**
 * Modules with {@code required: false} that cannot be used (unknown ABI, missing file, a proxy_on_configure that
 * runs past its budget, a SHA-256 pin that does not match) do not stop the gateway: they are reported as failed in
 * /actuator/wasm and health, and their routes answer by their failure policy while the other routes work.
 */
class OptionalModulesTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
            .withHeader("x-echo-wasm", "{{request.headers.x-wasm-c}}")
            .withBody("ok")
            .withTransformers("response-template")));
        gateway = Gateway.start("optional", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void routesOfFailedModulesAnswerByTheirPolicyAndTheOthersWork() {
        for (String path : new String[] { "/unknown-abi/x", "/misconfigured/x", "/pinned/x" }) {
            gateway.client().get().uri(path).exchange()
                .expectStatus().isEqualTo(503)
                .expectBody(String.class).isEqualTo("wasm filter failed\n");
        }
        gateway.client().get().uri("/missing-open/x").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");
        gateway.client().get().uri("/healthy/x").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-echo-wasm", "yes")
            .expectBody(String.class).isEqualTo("ok");
    }

    @Test
    void failedModulesAreReportedInTheActuatorAndHealth() {
        gateway.client().get().uri("/actuator/wasm").exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.failedModules['unknown-abi'].reason").value(containsString("proxy_abi_version_9_9_9"))
            .jsonPath("$.failedModules['unknown-abi'].failurePolicy").isEqualTo("fail-closed")
            .jsonPath("$.failedModules['missing-open'].reason").value(containsString("does not exist"))
            .jsonPath("$.failedModules['missing-open'].failurePolicy").isEqualTo("fail-open")
            .jsonPath("$.failedModules.misconfigured.reason").value(containsString("proxy_on_configure"))
            .jsonPath("$.failedModules.misconfigured.reason")
            .value(containsString("ran past its execution budget of 300 ms"))
            .jsonPath("$.failedModules.pinned.reason").value(containsString("SHA-256 mismatch: wasm.gateway.modules.pinned.sha256 is 0000"))
            .jsonPath("$.failedModules.healthy").doesNotExist()
            .jsonPath("$.instances.healthy.broken").isEqualTo(0);

        gateway.client().get().uri("/actuator/health/wasm").exchange()
            .expectStatus().isEqualTo(503)
            .expectBody()
            .jsonPath("$.status").isEqualTo("DOWN")
            .jsonPath("$.details['unknown-abi'].status").isEqualTo("FAILED")
            .jsonPath("$.details['unknown-abi'].failurePolicy").isEqualTo("fail-closed")
            .jsonPath("$.details['missing-open'].status").isEqualTo("FAILED")
            .jsonPath("$.details.healthy.status").isEqualTo("LOADED");
    }
}
