package io.wasmgateway.it;

import java.util.Map;

import io.wasmgateway.gateway.UnknownWasmModuleException;
import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A module or route that cannot work stops the startup, saying which module, where from, and why. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            classpath:filters/does_not_exist.wasm   | does not exist
            classpath:filters/no_abi_marker.wasm    | proxy_abi_version
            classpath:filters/unknown_abi.wasm      | proxy_abi_version_9_9_9
            classpath:filters/vm_start_fails.wasm   | proxy_on_vm_start
            classpath:filters/configure_fails.wasm  | proxy_on_configure
            classpath:filters/host_no_allocator.wasm | exports no allocator
            classpath:filters/host_no_memory.wasm   | exports no memory
            classpath:gateways/bad-module.yml       | not a valid wasm binary
            """)
    void aModuleThatCannotBeUsedStopsTheStartup(String location, String reason, CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("bad-module", Map.of("bad.location", location)));

        WasmModuleLoadException cause = findCause(failure, WasmModuleLoadException.class);
        assertThat(cause.module()).isEqualTo("bad");
        assertThat(cause.location()).isEqualTo(location);
        assertThat(cause.getMessage()).contains("'bad'", location, reason);
        assertThat(output).contains("APPLICATION FAILED TO START", "Description:", cause.getMessage(), "Action:",
                "wasm.gateway.modules.bad.location");
    }

    @Test
    void aModuleThatDoesNotMatchItsPinStopsTheStartup(CapturedOutput output) {
        String pin = "ab".repeat(32);
        Throwable failure = catchThrowable(() -> Gateway.run("bad-module", Map.of("bad.location",
                "classpath:filters/header_filter.wasm", "wasm.gateway.modules.bad.sha256", pin)));

        WasmModuleLoadException cause = findCause(failure, WasmModuleLoadException.class);
        assertThat(cause.getMessage()).contains("'bad'", "SHA-256 mismatch", "wasm.gateway.modules.bad.sha256 is " + pin);
        assertThat(output).contains("APPLICATION FAILED TO START", cause.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            --    | cL | proxy_on_configure: ran past its execution budget of 300 ms
            --    | cU | trapped in proxy_on_configure
            vR    | -- | trapped in proxy_on_vm_start
            vL    | -- | proxy_on_vm_start: ran past its execution budget of 300 ms
            """)
    void aPluginThatLoopsOrTrapsWhileStartingStopsTheStartup(String vmConfig, String config, String reason,
            CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("hostile-startup", Map.of("bad.config", config,
                "wasm.gateway.modules.bad.vm-config", vmConfig)));

        WasmModuleLoadException cause = findCause(failure, WasmModuleLoadException.class);
        assertThat(cause.module()).isEqualTo("bad");
        assertThat(cause.getMessage()).contains("'bad'", "route 'uses-bad'", reason);
        assertThat(output).contains("APPLICATION FAILED TO START", cause.getMessage());
    }

    @Test
    void aRouteWithAnUnknownModuleStopsTheStartup(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("unknown-module", Map.of()));

        UnknownWasmModuleException cause = findCause(failure, UnknownWasmModuleException.class);
        assertThat(cause.getMessage()).isEqualTo("Route 'typo-route' uses the wasm module 'haeders', which is not "
                + "configured (configured modules: headers, deny)");
        assertThat(output).contains("APPLICATION FAILED TO START", cause.getMessage());
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        assertThat(failure).as("startup failure").isNotNull();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + NestedExceptionUtils.buildMessage(
                failure.getMessage(), failure), failure);
    }
}
