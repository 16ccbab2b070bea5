package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.HttpContext;

/** One ProxyWasm filter's context in one request. */
final class FilterStream {

    private final HttpContext context;

    private final String module;

    private final boolean requestBodies;

    private final boolean responseBodies;

    private volatile boolean failed;

    FilterStream(HttpContext context, String module, boolean requestBodies, boolean responseBodies) {
        this.context = context;
        this.module = module;
        this.requestBodies = requestBodies;
        this.responseBodies = responseBodies;
    }

    /** Whether the filter has a request body callback (else request bodies pass it untouched). */
    boolean requestBodies() {
        return requestBodies;
    }

    /** Whether the filter has a response body callback (else response bodies pass it untouched). */
    boolean responseBodies() {
        return responseBodies;
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
