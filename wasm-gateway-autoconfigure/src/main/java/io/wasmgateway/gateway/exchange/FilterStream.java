package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.HttpContext;

/** One ProxyWasm filter's context in one request. */
final class FilterStream {

    private final HttpContext context;

    private final String module;

    private volatile boolean failed;

    FilterStream(HttpContext context, String module) {
        this.context = context;
        this.module = module;
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
