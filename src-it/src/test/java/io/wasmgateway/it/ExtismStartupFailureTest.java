package io.wasmgateway.it;

import java.util.Map;

import io.wasmgateway.gateway.WasmStartupException;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A route filter pointed at the wrong kind of module, or at a function the plugin lacks, stops the startup. */
@ExtendWith(OutputCaptureExtension.class)
class ExtismStartupFailureTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ProxyWasm=content            | Route 'mixed-up' uses ProxyWasm with the wasm module 'content', which is declared kind: extism; ProxyWasm needs a module of kind proxy-wasm
            'WasmRewrite=headers, check' | Route 'mixed-up' uses WasmRewrite with the wasm module 'headers', which is declared kind: proxy-wasm; WasmRewrite needs a module of kind extism
            'WasmContent=content, nope'  | Wasm module 'content' (classpath:filters/extism_json_content.wasm) cannot be used: route 'mixed-up' calls WasmContent function 'nope', which the plugin does not export (it exports hello)
            'WasmContent=nothing, hello' | Route 'mixed-up' uses the wasm module 'nothing', which is not configured (configured modules: headers, content)
            """)
    void aRouteThatCannotWorkStopsTheStartup(String filter, String message, CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("extism-startup", Map.of("bad.filter", filter)));

        WasmStartupException cause = findCause(failure);
        assertThat(cause.getMessage()).isEqualTo(message);
        assertThat(output).contains("APPLICATION FAILED TO START", message, "Action:");
    }

    @Test
    void aPluginThatMakesHttpRequestsNeedsAllowedHosts(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("extism-startup", Map.of("bad.filter",
                "WasmContent=content, hello", "wasm.gateway.modules.content.location",
                "classpath:filters/extism_fetch_plugin.wasm")));

        assertThat(findCause(failure).getMessage()).isEqualTo("Wasm module 'content' "
                + "(classpath:filters/extism_fetch_plugin.wasm) cannot be used: it imports extism:host/env.http_request: "
                + "the plugin makes its own HTTP requests; list the hosts it may reach in "
                + "wasm.gateway.modules.content.extism.allowed-hosts");
        assertThat(output).contains("APPLICATION FAILED TO START");
    }

    private static WasmStartupException findCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WasmStartupException startup) {
                return startup;
            }
        }
        throw new AssertionError("no WasmStartupException in " + failure, failure);
    }
}
