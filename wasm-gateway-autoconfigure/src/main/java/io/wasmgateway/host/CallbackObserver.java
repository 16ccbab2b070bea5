package io.wasmgateway.host;

/**
 * What the host reports about the guest calls it makes, for the proxy's metrics. Called on the thread that ran
 * the callback, right after it; implementations must be cheap and must not block.
 */
public interface CallbackObserver {

    /**
     * A callback ran (proxy_on_request_headers, proxy_on_tick, ... or the host's own label for a group of calls,
     * such as finishing a request).
     */
    void callback(String module, String callback, long nanos, boolean trapped);

    /** A filter answered locally (proxy_send_local_response). */
    void localResponse(String module, int status);

    /** A request got an HTTP context of the module. */
    void request(String module);

    /**
     * A VM instance of the module was recycled: replaced by a fresh one after its request count or its memory
     * ({@code reason} "requests" or "memory").
     */
    default void recycled(String module, String reason) {
    }

    /** Reports nothing. */
    CallbackObserver NONE = new CallbackObserver() {
        @Override
        public void callback(String module, String callback, long nanos, boolean trapped) {
        }

        @Override
        public void localResponse(String module, int status) {
        }

        @Override
        public void request(String module) {
        }
    };
}
