package io.wasmgateway.host;

import java.util.function.Consumer;

/** Carries a filter's proxy_http_call to the named upstream. Implemented by the proxy (the gateway: WebClient). */
public interface HttpCallDispatcher {

    /** Whether an upstream (a cluster) of that name is configured; an unknown one gives BAD_ARGUMENT. */
    boolean hasUpstream(String upstream);

    /**
     * Starts the call without blocking. {@code onDone} is called exactly once, from any thread, with the answer
     * or with {@link HttpCallResponse#failed()}.
     *
     * @return cancels the call (then {@code onDone} may not be called)
     */
    Runnable dispatch(HttpCallRequest request, Consumer<HttpCallResponse> onDone);

    /** A proxy without upstreams. */
    HttpCallDispatcher NONE = new HttpCallDispatcher() {
        @Override
        public boolean hasUpstream(String upstream) {
            return false;
        }

        @Override
        public Runnable dispatch(HttpCallRequest request, Consumer<HttpCallResponse> onDone) {
            onDone.accept(HttpCallResponse.failed());
            return () -> { };
        }
    };
}
