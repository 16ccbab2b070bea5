package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HttpContext;
import io.wasmgateway.host.StreamHost;

/**
 * One ProxyWasm filter in one request: its context, and what that context sees of the request (the exchange's
 * shared header maps and properties).
 */
final class FilterStream implements StreamHost {

    private final ProxyWasmExchange exchange;

    private final String module;

    private final int maxBufferedBody;

    // set once by open(), before the stream is registered (which publishes it to other threads)
    private HttpContext context;

    private FailurePolicy policy;

    private volatile boolean failed;

    FilterStream(ProxyWasmExchange exchange, String module, int maxBufferedBody) {
        this.exchange = exchange;
        this.module = module;
        this.maxBufferedBody = maxBufferedBody;
    }

    /** Binds the context the plugin made for this stream. */
    FilterStream open(HttpContext context) {
        this.context = context;
        this.policy = context.failurePolicy();
        return this;
    }

    /** What a failure of this filter means for the request. */
    FailurePolicy policy() {
        return policy;
    }

    /** Whether the filter has a request body callback (else request bodies pass it untouched). */
    boolean requestBodies() {
        return context.handlesRequestBody();
    }

    /** Whether the filter has a response body callback (else response bodies pass it untouched). */
    boolean responseBodies() {
        return context.handlesResponseBody();
    }

    HttpContext context() {
        return context;
    }

    String module() {
        return module;
    }

    /** Whether a callback of this context trapped: it gets no more callbacks but finish(). */
    boolean failed() {
        return failed;
    }

    void markFailed() {
        failed = true;
    }

    /** {@code stage}, completing on the request's event loop (see {@link ProxyWasmExchange#onLoop}). */
    <T> CompletableFuture<T> onLoop(CompletableFuture<T> stage) {
        return exchange.onLoop(stage);
    }

    @Override
    public Object requestKey() {
        return exchange; // one per request: its filters' contexts share a VM instance under isolation stream
    }

    @Override
    public int maxBufferedBody() {
        return maxBufferedBody;
    }

    @Override
    public HeaderMap requestHeaders() {
        return exchange.requestHeaders();
    }

    @Override
    public HeaderMap responseHeaders() {
        return exchange.responseHeaders();
    }

    @Override
    public byte[] property(List<String> path) {
        // a value a filter of this request set wins, so that later filters see it
        byte[] set = exchange.propertySetByFilter(path);
        return set != null ? set : ExchangeProperties.read(exchange, path);
    }

    @Override
    public boolean setProperty(List<String> path, byte[] value) {
        exchange.storeProperty(path, value);
        return true;
    }
}
