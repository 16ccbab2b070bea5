package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** memory_probe.wat hands the host bad pointers and lengths: every one must get a status, none an exception. */
class MemoryProbeTest {

    @Test
    void everyBadRangeIsAnsweredWithAStatus() {
        try (ProxyWasmModule module = Fixtures.load("memory_probe")) {
            FakeStreamHost stream = FakeStreamHost.get("/");
            HttpContext context = module.createPlugin("", new byte[0]).newHttpContext(stream);
            assertThat(context.onRequestHeaders(true).toCompletableFuture().join()).isEqualTo(Decision.CONTINUE);
            String[] results = stream.requestHeaders().get("x-probe-results").split(",");
            assertThat(results).hasSize(14);
            assertThat(String.join(",", java.util.Arrays.copyOf(results, 12)))
                    .isEqualTo("0,6,6,6,6,6,6,6,21,21,6,6");
            assertThat(results[12]).isIn("3", "6");
            assertThat(results[13]).isIn("3", "6");
        }
    }
}
