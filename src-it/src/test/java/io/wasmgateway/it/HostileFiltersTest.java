package io.wasmgateway.it;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.WasmInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each misbehaviour of filters/wat/hostile_filter.wat (picked per request by the header x-hostile: where, then
 * what) through a real gateway, with the answer its module's failure policy defines, and the broken VM instance
 * replaced so that the next request is served normally.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileFiltersTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
            .withHeader("x-echo-grown-pages", "{{request.headers.x-grown-pages}}")
            .withHeader("x-echo-host-status", "{{request.headers.x-host-status}}")
            .withBody("ok")
            .withTransformers("response-template")));
        gateway = Gateway.start("hostile", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            qL | an endless loop in proxy_on_request_headers
            qR | endless recursion in proxy_on_request_headers
            qU | unreachable in proxy_on_request_headers
            qZ | a division by zero in proxy_on_request_headers
            qM | an out-of-bounds load in proxy_on_request_headers
            xL | an endless loop in proxy_on_context_create
            xU | unreachable in proxy_on_context_create
            sL | an endless loop in proxy_on_response_headers
            sU | unreachable in proxy_on_response_headers
            sR | endless recursion in proxy_on_response_headers
            """)
    void failClosedAnswers503AndReplacesTheInstance(String hostile, String what, CapturedOutput output) {
        long replaced = replaced("closed");

        EntityExchangeResult<String> result = gateway.client().get().uri("/closed/x").header("x-hostile", hostile)
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).returnResult();

        assertThat(result.getResponseBody()).isEqualTo("wasm filter failed\n");
        awaitReplaced("closed", replaced + 1);
        assertThat(output).contains("wasm module 'closed' failed in its");
        assertServedNormally("/closed/after-" + hostile);
    }

    @Test
    void aTrapsLogLineAndActuatorNameTheCallbackAndTheGuestStack(CapturedOutput output) {
        long replaced = replaced("closed");
        gateway.client().get().uri("/closed/x").header("x-hostile", "qU").exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("wasm filter failed\n");
        awaitReplaced("closed", replaced + 1);

        // the hostile fixture has no name section: its functions are named by index
        assertThat(output).containsPattern("VM instance \\d+ of wasm module 'closed' is broken: "
                + "proxy_on_request_headers: Trapped on unreachable instruction \\(guest stack: #\\d+( <- #\\d+)*\\)");
        Map<?, ?> body = gateway.client().get().uri("/actuator/wasm").exchange()
            .expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> closed = (Map<?, ?>) ((Map<?, ?>) body.get("instances")).get("closed");
        assertThat((String) closed.get("lastTrap")).startsWith("proxy_on_request_headers: Trapped on unreachable instruction")
            .containsPattern("\\(guest stack: #\\d+( <- #\\d+)*\\)$");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            dU | unreachable in proxy_on_done
            dL | an endless loop in proxy_on_done
            lL | an endless loop in proxy_on_log
            """)
    void aTrapAfterTheResponseLeavesTheResponseAloneAndReplacesTheInstance(String hostile, String what) {
        long replaced = replaced("closed");

        gateway.client().get().uri("/closed/x").header("x-hostile", hostile).exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");

        awaitReplaced("closed", replaced + 1);
        assertServedNormally("/closed/after-" + hostile);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "qB", "sB" })
    void bogusReturnValuesCountAsContinue(String hostile) {
        gateway.client().get().uri("/closed/x").header("x-hostile", hostile).exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "qP", "qA" })
    void badPointersAndABogusAllocatorGetInvalidMemoryAccessNotATrap(String hostile) {
        long replaced = replaced("closed");

        gateway.client().get().uri("/closed/x").header("x-hostile", hostile).exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-echo-host-status", "6")
            .expectBody(String.class).isEqualTo("ok");

        assertThat(replaced("closed")).isEqualTo(replaced);
    }

    @Test
    void aMemoryGrowBombStopsAtMaxMemory() {
        // max-memory: 1MB = 16 pages of 64 KiB; memory.grow beyond returns -1 and the filter reports its size
        gateway.client().get().uri("/closed/x").header("x-hostile", "qG").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-echo-grown-pages", "16")
            .expectBody(String.class).isEqualTo("ok");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "qL", "qU", "xU", "sU", "sL" })
    void failOpenSkipsTheFailingFilter(String hostile, CapturedOutput output) {
        long replaced = replaced("open");

        gateway.client().get().uri("/open/x").header("x-hostile", hostile).exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");

        awaitReplaced("open", replaced + 1);
        assertThat(output).contains("wasm module 'open' failed in its", "(fail-open)");
    }

    @Test
    void aRequestPausedForAnOutboundCallGetsThePolicysAnswerWhenTheCallbackTraps() {
        // proxy_on_http_call_response loops (caller) or traps (caller-open) while the request waits for it
        gateway.client().get().uri("/caller/x").exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("wasm filter failed\n");
        gateway.client().get().uri("/caller-open/x").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");
    }

    @Test
    void failReloadKeepsReplacingATickThatTrapsWithGrowingPauses() {
        // proxy_on_tick traps 10 ms after every start: the instance is replaced again and again, ever more slowly
        awaitReplaced("ticking", 3, false);

        int status = gateway.client().get().uri("/ticking/x").exchange()
            .expectBody(String.class).returnResult().getStatus().value();
        assertThat(status).isIn(200, 503);
    }

    private static void assertServedNormally(String path) {
        gateway.client().get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("ok");
    }

    private static long replaced(String module) {
        return WasmInstances.replaced(gateway, module);
    }

    private static void awaitReplaced(String module, long count) {
        WasmInstances.awaitReplaced(gateway, module, count, true);
    }

    private static void awaitReplaced(String module, long count, boolean noneBroken) {
        WasmInstances.awaitReplaced(gateway, module, count, noneBroken);
    }
}
