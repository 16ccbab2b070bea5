package io.wasmgateway.host;

import java.util.concurrent.CompletionStage;

/**
 * One request's context in one filter. Every callback is serialised on the context's VM instance: it runs at
 * once on the calling thread when the VM is free, otherwise right after the callback that holds it, on that
 * callback's thread. Nothing blocks. A stage completes exceptionally with {@link WasmTrapException} when the
 * callback traps.
 */
public final class HttpContext {

    /**
     * proxy_on_request_headers (with end_of_stream on 0.2.x). Changes the filter makes are in the
     * stream's request map when the stage completes.
     *
     * @return {@link Decision#CONTINUE}, {@link Decision#PAUSE}, or a local response the filter sent
     */
    public CompletionStage<Decision> onRequestHeaders(boolean endOfStream) {
        throw new UnsupportedOperationException("TODO");
    }

    /** proxy_on_response_headers; the stream's response map must be set. */
    public CompletionStage<Decision> onResponseHeaders(boolean endOfStream) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * After a {@link Decision.Pause}: completes with {@link Decision#CONTINUE} when the filter calls
     * proxy_continue_stream (or continue_request/continue_response), or with a {@link Decision.Respond} when it
     * sends a local response, from whatever later callback does so.
     */
    public CompletionStage<Decision> resumption() {
        throw new UnsupportedOperationException("TODO");
    }

    /** proxy_on_done, proxy_on_log, proxy_on_delete, once, whatever happened to the request. */
    public CompletionStage<Void> finish() {
        throw new UnsupportedOperationException("TODO");
    }
}
