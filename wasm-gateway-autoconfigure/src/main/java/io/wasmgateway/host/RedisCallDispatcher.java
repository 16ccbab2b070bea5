package io.wasmgateway.host;

import java.util.function.Consumer;

/**
 * Carries a filter's proxy_redis_call to the named Redis cluster (Higress's ABI extension). Implemented by the
 * proxy (the gateway: Lettuce).
 */
public interface RedisCallDispatcher {

    /** Whether a Redis cluster of that name (without Higress's {@code ?db=N} options) is configured. */
    boolean hasCluster(String cluster);

    /**
     * Starts the call without blocking. {@code onDone} is called exactly once, from any thread, with the raw
     * RESP reply or a failure.
     *
     * @return cancels the call (then {@code onDone} may not be called)
     */
    Runnable dispatch(RedisCallRequest request, Consumer<RedisCallResponse> onDone);

    /** A proxy without Redis clusters. */
    RedisCallDispatcher NONE = new RedisCallDispatcher() {
        @Override
        public boolean hasCluster(String cluster) {
            return false;
        }

        @Override
        public Runnable dispatch(RedisCallRequest request, Consumer<RedisCallResponse> onDone) {
            onDone.accept(RedisCallResponse.failed(RedisCallResponse.NETWORK_ERROR));
            return () -> { };
        }
    };
}
