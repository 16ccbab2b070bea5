package io.wasmgateway.bench.lifecycle;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;

import io.roastedroot.proxywasm.StartException;
import io.roastedroot.proxywasm.internal.ArrayProxyMap;
import io.roastedroot.proxywasm.internal.BenchMaps;
import io.roastedroot.proxywasm.internal.Handler;
import io.roastedroot.proxywasm.internal.HttpContext;
import io.roastedroot.proxywasm.internal.ProxyMap;
import io.roastedroot.proxywasm.internal.ProxyWasm;
import io.roastedroot.proxywasm.internal.WasmResult;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The third column: io.roastedroot:proxy-wasm-java-host 0.0.5 driven through its VM-level API (ProxyWasm, one
 * HttpContext per request, closed at the end: done, log, delete), compiled with Chicory's runtime compiler
 * like ours.
 */
final class RoastedrootHost implements AutoCloseable {

    private final ProxyWasm proxyWasm;
    final ArrayProxyMap request = new ArrayProxyMap(16);
    final ArrayProxyMap response = new ArrayProxyMap(16);
    private static final byte[] METADATA = BenchFilter.METADATA_VALUE.getBytes(StandardCharsets.UTF_8);
    private final boolean answersLocally;
    private final byte[] rootId;
    private int localStatus;
    private ProxyMap localHeaders;
    private final Handler streamHandler = new Handler() {
        @Override
        public ProxyMap getHttpRequestHeaders() {
            return request;
        }

        @Override
        public byte[] getProperty(List<String> path) {
            return path.equals(BenchFilter.METADATA_PATH) ? METADATA
                    : path.equals(List.of("plugin_root_id")) ? rootId : null;
        }

        @Override
        public WasmResult sendHttpResponse(int status, byte[] details, byte[] body, ProxyMap headers,
                int grpcStatus) {
            localStatus = status;
            localHeaders = headers;
            return WasmResult.OK;
        }

        @Override
        public ProxyMap getHttpResponseHeaders() {
            return response;
        }
    };

    RoastedrootHost(BenchFilter filter) {
        WasmModule module = Parser.parse(filter.wasm());
        answersLocally = filter.answersLocally();
        rootId = filter.rootId().getBytes(StandardCharsets.UTF_8);
        byte[] configuration = filter.configuration();
        Handler pluginHandler = new Handler() {
            @Override
            public byte[] getPluginConfig() {
                return configuration;
            }

            @Override
            public byte[] getProperty(List<String> path) {
                return path.equals(List.of("plugin_root_id")) ? filter.rootId().getBytes() : null;
            }
        };
        try {
            proxyWasm = ProxyWasm.builder()
                    .withPluginHandler(pluginHandler)
                    .withMachineFactory(MachineFactoryCompiler.compile(module))
                    .build(module);
        } catch (StartException e) {
            throw new IllegalStateException(e);
        }
    }

    Object request() {
        HttpContext context = proxyWasm.createHttpContext(streamHandler);
        Object requestAction = context.callOnRequestHeaders(false);
        if (answersLocally) { // sendHttpResponse recorded the answer; the upstream is never asked
            context.close();
            return requestAction;
        }
        Object responseAction = context.callOnResponseHeaders(false);
        context.close();
        return requestAction == responseAction ? requestAction : responseAction;
    }

    void reset(List<Map.Entry<String, String>> requestHeaders, List<Map.Entry<String, String>> responseHeaders) {
        BenchMaps.refill(request, requestHeaders);
        BenchMaps.refill(response, responseHeaders);
    }

    /** The last local response's status and headers, null when the filter sent none. */
    Map<String, String> localResponse() {
        if (localHeaders == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        map.put(":status", String.valueOf(localStatus));
        map.putAll(asMap(localHeaders));
        return map;
    }

    static Map<String, String> asMap(ProxyMap headers) {
        Map<String, String> map = new LinkedHashMap<>();
        headers.entries().forEach(entry -> map.put(entry.getKey(), entry.getValue()));
        return map;
    }

    @Override
    public void close() {
        try {
            proxyWasm.close();
        } catch (RuntimeException e) {
            // 0.0.5 calls proxy_on_log on the root context when closing; the AssemblyScript SDK aborts there
        }
    }
}
