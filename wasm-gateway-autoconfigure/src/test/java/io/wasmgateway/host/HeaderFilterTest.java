package io.wasmgateway.host;

import static io.wasmgateway.host.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The C header filter, end to end through the public API and a fake stream. */
class HeaderFilterTest {

    private final ProxyWasmModule module = Fixtures.load("header_filter");

    @AfterEach
    void close() {
        module.close();
    }

    @Test
    void addsReplacesAndRemovesRequestAndResponseHeaders() {
        Plugin plugin = module.createPlugin("", utf8(
                "request add x-wasm-c: yes; request remove x-secret; response set server: wasm-gateway"));
        FakeStreamHost stream = FakeStreamHost.get("/anything").header("x-secret", "hide me");
        HttpContext context = plugin.newHttpContext(stream);

        Decision request = context.onRequestHeaders(true).toCompletableFuture().join();
        assertThat(request).isEqualTo(Decision.CONTINUE);
        assertThat(stream.requestHeaders().get("x-wasm-c")).isEqualTo("yes");
        assertThat(stream.requestHeaders().get("x-secret")).isNull();
        assertThat(stream.requestHeaders().isModified()).isTrue();

        HeaderList response = stream.respond(200);
        response.add("server", "upstream");
        Decision responseDecision = context.onResponseHeaders(false).toCompletableFuture().join();
        assertThat(responseDecision).isEqualTo(Decision.CONTINUE);
        assertThat(response.getAll("server")).containsExactly("wasm-gateway");

        context.finish().toCompletableFuture().join();
    }

    @Test
    void readsPropertiesFromTheStream() {
        Plugin plugin = module.createPlugin("", utf8(
                "request property x-path: request.path; request property-int x-port: destination.port"));
        FakeStreamHost stream = FakeStreamHost.get("/p")
                .property("request.path", utf8("/p"))
                .property("destination.port", PropertyEncoding.int64(8080));
        plugin.newHttpContext(stream).onRequestHeaders(true).toCompletableFuture().join();
        assertThat(stream.requestHeaders().get("x-path")).isEqualTo("/p");
        assertThat(stream.requestHeaders().get("x-port")).isEqualTo("8080");
    }
}
