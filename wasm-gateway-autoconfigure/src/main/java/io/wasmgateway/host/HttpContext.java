package io.wasmgateway.host;

import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.StreamType;
import io.wasmgateway.host.vm.CompletedStages;
import io.wasmgateway.host.vm.StreamContext;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One request's context in one filter. Every callback is serialised on the context's VM instance: it runs at
 * once on the calling thread when the VM is free, otherwise right after the callback that holds it, on that
 * callback's thread. Nothing blocks. A stage completes exceptionally with {@link WasmTrapException} when the
 * callback traps or runs past its budget (the VM instance is then broken: later callbacks of contexts on it fail the
 * same way, while the module replaces it with a fresh instance for new requests).
 */
public final class HttpContext {

    private final StreamContext context;

    private final ProxyWasmModule module;

    private static final AtomicIntegerFieldUpdater<HttpContext> FINISH_COUNTED =
            AtomicIntegerFieldUpdater.newUpdater(HttpContext.class, "finishCounted");

    private volatile int finishCounted; // 1 once the module's open contexts counted this one's finish

    HttpContext(StreamContext context, ProxyWasmModule module) {
        this.context = context;
        this.module = module;
    }

    /** What a failure of the context's module means for its request. */
    public FailurePolicy failurePolicy() {
        return module.failurePolicy();
    }

    /** Whether the context's module has a request body callback (else request bodies need not pass it). */
    public boolean handlesRequestBody() {
        return module.handlesRequestBody();
    }

    /** Whether the context's module has a response body callback (else response bodies need not pass it). */
    public boolean handlesResponseBody() {
        return module.handlesResponseBody();
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
     * proxy_on_request_body for the next chunk of the request body (an empty one with end of stream when the
     * body ended after its last chunk). The filter reads the chunk in place during the callback: it must stay
     * valid until the stage completes.
     *
     * @return {@link Decision#CONTINUE} (the chunk goes on as it is), {@link Decision.ContinueWithBody} (these
     *     bytes go on instead), {@link Decision#PAUSE} (the host now holds the body: let go of the chunk; at end of
     *     stream, wait for {@link #resumption()}), a local response, or {@link Decision.BodyTooLarge}
     */
    public CompletionStage<Decision> onRequestBody(AbiBuffer chunk, boolean endOfStream) {
        return context.onBody(StreamType.HTTP_REQUEST, chunk, endOfStream);
    }

    /** proxy_on_response_body, as {@link #onRequestBody}. */
    public CompletionStage<Decision> onResponseBody(AbiBuffer chunk, boolean endOfStream) {
        return context.onBody(StreamType.HTTP_RESPONSE, chunk, endOfStream);
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
     * proxy_on_done, proxy_on_log, proxy_on_delete, once, whatever happened to the request (later calls run
     * nothing on the guest; each call's stage completes once they have run). After a trap the guest calls are
     * skipped and the stage completes normally.
     */
    public CompletionStage<Void> finish() {
        CompletionStage<Void> finished = context.finish();
        if (FINISH_COUNTED.compareAndSet(this, 0, 1)) {
            // the module may close once its last context is done (see ProxyWasmModule.retire)
            OpenContexts open = module.openContexts();
            if (finished == CompletedStages.DONE) {
                open.finished(); // ran inline: done already
            } else {
                finished.whenComplete((ignored, error) -> open.finished());
            }
        }
        return finished;
    }
}
