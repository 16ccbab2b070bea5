package io.wasmgateway.bench.lifecycle;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.Engine;
import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HttpContext;
import io.wasmgateway.host.LocalResponse;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.Plugin;
import io.wasmgateway.host.ProxyWasmModule;
import io.wasmgateway.host.StreamHost;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Our host as the gateway drives it: one module instance, one plugin, one HTTP context per request. */
final class OurHost implements StreamHost, AutoCloseable {

    private final ProxyWasmModule module;
    private final Plugin plugin;
    final HeaderList request = new HeaderList();
    final HeaderList response = new HeaderList();
    private static final byte[] METADATA = BenchFilter.METADATA_VALUE.getBytes(StandardCharsets.UTF_8);
    private LocalResponse localResponse;

    OurHost(BenchFilter filter) {
        this(filter, 1);
    }

    /** With {@code instances} VM instances in the module's pool (PoolMemory). */
    OurHost(BenchFilter filter, int instances) {
        module = ProxyWasmModule.load(new ModuleSpec(filter.name(), "classpath:filters", filter.wasm(),
                Engine.COMPILER, "bench", new byte[0], Map.of(), instances));
        plugin = module.createPlugin(filter.rootId(), filter.configuration());
    }

    /** This host's plugin, for more streams on other threads (PoolMemory). */
    Plugin plugin() {
        return plugin;
    }

    /**
     * One request: headers in, headers out (unless the filter answered locally), finish; every stage completes
     * before the call returns.
     */
    Object request() {
        HttpContext context = plugin.newHttpContext(this);
        Object requestDecision = context.onRequestHeaders(false).toCompletableFuture().getNow(null);
        if (requestDecision instanceof Decision.Respond respond) {
            localResponse = respond.response();
            context.finish();
            return respond;
        }
        Object responseDecision = context.onResponseHeaders(false).toCompletableFuture().getNow(null);
        context.finish();
        return requestDecision == responseDecision ? requestDecision : responseDecision;
    }

    /** The last local response's status and headers, null when the filter sent none. */
    Map<String, String> localResponse() {
        if (localResponse == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        map.put(":status", String.valueOf(localResponse.status()));
        localResponse.headers().forEach(header -> map.put(header.getKey(), header.getValue()));
        return map;
    }

    void reset(List<Map.Entry<String, String>> requestHeaders, List<Map.Entry<String, String>> responseHeaders) {
        request.replaceAll(requestHeaders);
        response.replaceAll(responseHeaders);
    }

    static Map<String, String> asMap(HeaderList headers) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            map.put(headers.name(i), headers.value(i));
        }
        return map;
    }

    @Override
    public HeaderMap requestHeaders() {
        return request;
    }

    @Override
    public HeaderMap responseHeaders() {
        return response;
    }

    @Override
    public byte[] property(List<String> path) {
        return path.equals(BenchFilter.METADATA_PATH) ? METADATA : null;
    }

    @Override
    public boolean setProperty(List<String> path, byte[] value) {
        return false;
    }

    @Override
    public void close() {
        module.close();
    }
}
