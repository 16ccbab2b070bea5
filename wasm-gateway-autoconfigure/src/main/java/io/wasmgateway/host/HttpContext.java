package io.wasmgateway.host;

import io.wasmgateway.host.abi.AbiBuffer;

import java.util.concurrent.CompletionStage;

/**
 * One request's context in one filter. Every callback is serialised on the context's VM instance: it runs at
 * once on the calling thread when the VM is free, otherwise right after the callback that holds it, on that
 * callback's thread. Nothing blocks. A stage completes exceptionally with {@link WasmTrapException} when the
 * callback traps or runs past its budget (the VM instance is then broken: later callbacks of contexts on it fail the
 * same way, while the module replaces it with a fresh instance for new requests).
 *
 * <p>One object per request and filter: the host's VM package implements it (no façade in front), so opening a
 * context allocates it alone. Only the host makes contexts ({@link Plugin#newHttpContext}).
 */
public abstract class HttpContext {

    /** For the host's implementation only. */
    protected HttpContext() {
    }

    /** What a failure of the context's module means for its request. */
    public abstract FailurePolicy failurePolicy();

    /** Whether the context's module has a request body callback (else request bodies need not pass it). */
    public abstract boolean handlesRequestBody();

    /** Whether the context's module has a response body callback (else response bodies need not pass it). */
    public abstract boolean handlesResponseBody();

    /**
     * proxy_on_request_headers (with end_of_stream on 0.2.x). Changes the filter makes are in the
     * stream's request map when the stage completes.
     *
     * @return {@link Decision#CONTINUE}, {@link Decision#PAUSE}, or a local response the filter sent
     */
    public abstract CompletionStage<Decision> onRequestHeaders(boolean endOfStream);

    /** proxy_on_response_headers; the stream's response map must be set. */
    public abstract CompletionStage<Decision> onResponseHeaders(boolean endOfStream);

    /**
     * proxy_on_request_body for the next chunk of the request body (an empty one with end of stream when the
     * body ended after its last chunk). The filter reads the chunk in place during the callback: it must stay
     * valid until the stage completes.
     *
     * @return {@link Decision#CONTINUE} (the chunk goes on as it is), {@link Decision.ContinueWithBody} (these
     *     bytes go on instead), {@link Decision#PAUSE} (the host now holds the body: let go of the chunk; at end of
     *     stream, wait for {@link #resumption()}), a local response, or {@link Decision.BodyTooLarge}
     */
    public abstract CompletionStage<Decision> onRequestBody(AbiBuffer chunk, boolean endOfStream);

    /** proxy_on_response_body, as {@link #onRequestBody}. */
    public abstract CompletionStage<Decision> onResponseBody(AbiBuffer chunk, boolean endOfStream);

    /**
     * After a {@link Decision.Pause}: completes with {@link Decision#CONTINUE} when the filter calls
     * proxy_continue_stream (or continue_request/continue_response), or with a {@link Decision.Respond} when it
     * sends a local response, from whatever later callback does so. It completes only after that callback has
     * returned, possibly before this method is called (then the stage is already complete). Before any pause,
     * an already completed {@link Decision#CONTINUE}.
     */
    public abstract CompletionStage<Decision> resumption();

    /**
     * proxy_on_done, proxy_on_log, proxy_on_delete, once, whatever happened to the request (later calls run
     * nothing on the guest; each call's stage completes once they have run). After a trap the guest calls are
     * skipped and the stage completes normally. Once they have run, the context no longer counts as open on its
     * instance and module (a recycled instance or a retired module closes after its last context).
     */
    public abstract CompletionStage<Void> finish();
}
