package io.wasmgateway.host.abi;

/**
 * Everything a guest can make the host allocate or hold is bounded here, in one place (as cpp-host's
 * {@code limits.h}). A request beyond a limit is answered with BAD_ARGUMENT (or a load error for
 * configuration), never with an unbounded allocation. A client's request whose header map is beyond the map
 * limits is refused (431) before a filter sees it. Per-module limits (execution budgets, linear memory) are in
 * {@link io.wasmgateway.host.ModuleLimits}.
 */
public final class Limits {

    /** Pairs in one header map or serialized map a guest passes (set pairs, local response headers). */
    public static final int MAX_MAP_PAIRS = 4096;

    /** Bytes of one serialized map, in either direction. */
    public static final int MAX_MAP_BYTES = 1024 * 1024;

    /** Bytes of a property path. */
    public static final int MAX_PROPERTY_PATH_BYTES = 4096;

    /** Bytes of a property value a guest sets. */
    public static final int MAX_PROPERTY_VALUE_BYTES = 1024 * 1024;

    /** Bytes of a local response body. */
    public static final int MAX_LOCAL_RESPONSE_BODY_BYTES = 4 * 1024 * 1024;

    /** Bytes of a local response's details string. */
    public static final int MAX_LOCAL_RESPONSE_DETAILS_BYTES = 4096;

    /** Bytes of one log message; longer messages are truncated, not refused. */
    public static final int MAX_LOG_MESSAGE_BYTES = 64 * 1024;

    /** Bytes of a VM or plugin configuration. */
    public static final int MAX_CONFIGURATION_BYTES = 16 * 1024 * 1024;

    /** Bytes the host copies into the guest in one call (one guest allocation). */
    public static final int MAX_GUEST_ALLOCATION_BYTES = 64 * 1024 * 1024;

    /** The body of one outbound call a filter makes. */
    public static final int MAX_HTTP_CALL_BODY_BYTES = 4 * 1024 * 1024;

    /** A shared-data key, a queue name or a vm id. */
    public static final int MAX_SHARED_KEY_BYTES = 4096;

    /** A shared-data value or a queue message. */
    public static final int MAX_SHARED_VALUE_BYTES = 1024 * 1024;

    /** Outbound calls one context may have in flight at once. */
    public static final int MAX_HTTP_CALLS_PER_CONTEXT = 64;

    /** gRPC calls and streams one context may have open at once. */
    public static final int MAX_GRPC_CALLS_PER_CONTEXT = 64;

    /** Bytes of one gRPC message a filter sends (proxy_grpc_call, proxy_grpc_send). */
    public static final int MAX_GRPC_MESSAGE_BYTES = 4 * 1024 * 1024;

    /** Bytes of one proxy_redis_call query (a RESP array). */
    public static final int MAX_REDIS_QUERY_BYTES = 1024 * 1024;

    /** Bytes of one Redis reply handed to a filter; a longer reply fails the call. */
    public static final int MAX_REDIS_REPLY_BYTES = 16 * 1024 * 1024;

    /** Redis calls one context may have in flight at once. */
    public static final int MAX_REDIS_CALLS_PER_CONTEXT = 64;

    /** Distinct clusters (with options) one root context may proxy_redis_init. */
    public static final int MAX_REDIS_INITS_PER_ROOT = 64;

    /** Metrics one VM instance may define (proxy_define_metric); beyond, INTERNAL_FAILURE. */
    public static final int MAX_METRICS_PER_VM = 1024;

    /** Shared-queue registrations one VM instance may make (proxy_register_shared_queue); beyond, NOT_FOUND. */
    public static final int MAX_QUEUE_REGISTRATIONS_PER_VM = 1024;

    /** Pages (64 KiB each) of linear memory a module may have: 1 GiB, as cpp-host. */
    public static final int MAX_MEMORY_PAGES = 16 * 1024;

    private Limits() {
    }

    /** How many first callbacks of a module run under its cold budget ({@code cold-callback-timeout}). */
    public static final int COLD_CALLBACKS = 1000;
}
