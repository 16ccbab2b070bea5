package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HttpContext;

/** One ProxyWasm filter's context in one request. */
final class FilterStream {

    private final HttpContext context;

    private final String module;

    private final FailurePolicy policy;

    private volatile boolean failed;

    FilterStream(HttpContext context, String module, FailurePolicy policy) {
        this.context = context;
        this.module = module;
        this.policy = policy;
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
}
