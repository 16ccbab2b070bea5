package io.wasmgateway.host;

/**
 * Carries a filter's proxy_grpc_call and proxy_grpc_stream to a gRPC cluster. Implemented by the proxy (the
 * gateway: grpc-java).
 */
public interface GrpcCallDispatcher {

    /** Whether a gRPC cluster of that name (or target) is configured; an unknown one gives PARSE_FAILURE. */
    boolean hasCluster(String cluster);

    /**
     * Starts the call without blocking: a unary one sends its message and half-closes; a stream waits for
     * {@link GrpcCallHandle#send}. The listener is called from any thread; a failure to start is reported
     * through {@link GrpcCallListener#onClose} too.
     *
     * @return the means to send on, close and cancel the call
     */
    GrpcCallHandle start(GrpcCallRequest request, GrpcCallListener listener);

    /** A proxy without gRPC clusters. */
    GrpcCallDispatcher NONE = new GrpcCallDispatcher() {
        @Override
        public boolean hasCluster(String cluster) {
            return false;
        }

        @Override
        public GrpcCallHandle start(GrpcCallRequest request, GrpcCallListener listener) {
            listener.onClose(14, "no gRPC clusters", java.util.List.of());
            return GrpcCallHandle.NONE;
        }
    };
}
