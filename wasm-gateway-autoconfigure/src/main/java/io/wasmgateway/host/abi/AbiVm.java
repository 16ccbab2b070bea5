package io.wasmgateway.host.abi;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.shared.QueueListener;

import java.util.List;

import org.slf4j.Logger;

/** What host functions need from the VM instance they are linked into. */
public interface AbiVm {

    AbiVersion abiVersion();

    /** The module's configured name. */
    String moduleName();

    /** The module's logger, {@code wasm.<module name>}. */
    Logger logger();

    GuestMemory memory();

    /** The proxy's services: outbound calls, shared data and queues, metrics, timers. */
    HostServices services();

    /** The context the running callback acts on; {@link AbiContext#NONE} outside callbacks. */
    AbiContext effectiveContext();

    /** proxy_done: a root context that deferred its end in proxy_on_done finishes (after the running call). */
    default void done() {
    }

    /** @return false when no live context on this VM has that id */
    boolean setEffectiveContext(int contextId);

    /**
     * A header map by its {@link MapType}: the effective context's, or, for maps 6 and 7, the answer of the
     * outbound call being delivered. Null when it does not exist here (NOT_FOUND).
     */
    HeaderMap headerMap(int mapType);

    /**
     * Whether the running callback is proxy_on_log (Envoy's access-log phase, where a map the request never had
     * reads as a missing key instead of BAD_ARGUMENT).
     */
    default boolean inLogCallback() {
        return false;
    }

    /** A buffer by its {@link BufferType}, like {@link #headerMap}: buffer 4 is the call answer's body. */
    AbiBuffer buffer(int bufferType);

    /**
     * Records an outbound call by the effective context; the VM starts it when the running callback returns.
     *
     * @return the call's token, or 0 when there is no context or it has too many calls in flight
     */
    int httpCall(HttpCallRequest request);

    /** The VM's gRPC calls and streams. */
    AbiGrpc grpc();

    /**
     * proxy_redis_init for the effective context's root context: remembers the credentials and timeout its
     * calls to that cluster (with those options) use. The cluster is known to exist.
     *
     * @return a {@link Status}
     */
    int redisInit(RedisClusterName name, String username, String password, long timeoutMillis);

    /**
     * Records a Redis command by the effective context; the VM starts it when the running callback returns,
     * and answers it through proxy_on_redis_call_response on the context's root context.
     *
     * @return the call's token, or 0 when there is no context, the root context did not proxy_redis_init the
     *     cluster, or the context has too many calls in flight (logged)
     */
    int redisCall(RedisClusterName name, List<byte[]> arguments);

    /**
     * A listener that wakes the effective context's root context with proxy_on_queue_ready on this VM, later
     * (never inside the enqueuer's callback); null when there is no plugin context, or the VM has made
     * {@link Limits#MAX_QUEUE_REGISTRATIONS_PER_VM} registrations.
     */
    QueueListener queueListener();

    /** Sets the tick period of the effective context's root context; 0 stops it. @return a {@link Status} */
    int setTickPeriod(long millis);
}
