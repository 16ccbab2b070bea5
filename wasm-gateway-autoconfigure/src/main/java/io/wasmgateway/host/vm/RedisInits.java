package io.wasmgateway.host.vm;

import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.RedisClusterName;
import io.wasmgateway.host.abi.Status;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each root context's proxy_redis_init said per cluster, on one VM (lane only). The calls themselves are an
 * {@link OutboundCalls} of their own: Higress SDKs keep Redis and HTTP callout ids apart.
 */
final class RedisInits {

    /** A root context's proxy_redis_init of one cluster (with its options). */
    record Init(RedisClusterName name, String username, String password, long timeoutMillis) {
    }

    private final Map<Integer, Map<String, Init>> inits = new HashMap<>();

    /** @return OK, or BAD_ARGUMENT when the root context has initialised too many clusters */
    int init(int rootId, RedisClusterName name, String username, String password, long timeoutMillis) {
        Map<String, Init> ofRoot = inits.computeIfAbsent(rootId, id -> new LinkedHashMap<>());
        if (!ofRoot.containsKey(name.initKey()) && ofRoot.size() >= Limits.MAX_REDIS_INITS_PER_ROOT) {
            return Status.BAD_ARGUMENT;
        }
        ofRoot.put(name.initKey(), new Init(name, username, password, timeoutMillis));
        return Status.OK;
    }

    /**
     * The root context's init for a call's cluster name: the one of exactly that name and options, else the
     * first of the same cluster (SDKs init with {@code ?db=N} and may call with the bare name); null if none.
     */
    Init initFor(int rootId, RedisClusterName name) {
        Map<String, Init> ofRoot = inits.get(rootId);
        if (ofRoot == null) {
            return null;
        }
        Init exact = ofRoot.get(name.initKey());
        if (exact != null) {
            return exact;
        }
        for (Init init : ofRoot.values()) {
            if (init.name().cluster().equals(name.cluster())) {
                return init;
            }
        }
        return null;
    }

    /** When a root context is gone: its inits go with it. */
    void forgetRoot(int rootId) {
        if (!inits.isEmpty()) {
            inits.remove(rootId);
        }
    }
}
