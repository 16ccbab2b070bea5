package io.wasmgateway.host;

import io.wasmgateway.host.vm.StreamContext;

import java.util.concurrent.CompletionStage;

/**
 * One request's context in one filter. Every callback is serialised on the context's VM instance: it runs at
 * once on the calling thread when the VM is free, otherwise right after the callback that holds it, on that
 * callback's thread. Nothing blocks. A stage completes exceptionally with {@link WasmTrapException} when the
 * callback traps or runs past its budget (the VM instance is then broken: later callbacks of contexts on it fail the
 * same way, while the module replaces it with a fresh instance for new requests).
 */
public final class HttpContext {

    private final StreamContext context;

    HttpContext(StreamContext context) {
        this.context = context;
    }

    /**
     * proxy_on_request_headers (with end_of_stream on 0.2.x). Changes the filter makes are in the
     * stream's request map when the stage completes.
     *
     * @return {@link Decision#CONTINUE}, {@link Decision#PAUSE}, or a local response the filter sent
     */
    public CompletionStage<Decision> onRequestHeaders(boolean endOfStream) {
        return context.onRequestHeaders(endOfStream);
    }

    /** proxy_on_response_headers; the stream's response map must be set. */
    public CompletionStage<Decision> onResponseHeaders(boolean endOfStream) {
        return context.onResponseHeaders(endOfStream);
    }

    /**
     * After a {@link Decision.Pause}: completes with {@link Decision#CONTINUE} when the filter calls
     * proxy_continue_stream (or continue_request/continue_response), or with a {@link Decision.Respond} when it
     * sends a local response, from whatever later callback does so. It completes only after that callback has
     * returned, possibly before this method is called (then the stage is already complete). Before any pause,
     * an already completed {@link Decision#CONTINUE}.
     */
    public CompletionStage<Decision> resumption() {
        return context.resumption();
    }

    /**
     * proxy_on_done, proxy_on_log, proxy_on_delete, once, whatever happened to the request (every call returns
     * the same stage). After a trap the guest calls are skipped and the stage completes normally.
     */
    public CompletionStage<Void> finish() {
        return context.finish();
    }
}
