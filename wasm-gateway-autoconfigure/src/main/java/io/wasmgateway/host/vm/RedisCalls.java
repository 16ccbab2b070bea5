package io.wasmgateway.host.vm;

import io.wasmgateway.host.RedisCallRequest;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.RedisClusterName;
import io.wasmgateway.host.abi.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One VM's Redis calls (lane only): what each root context's proxy_redis_init said per cluster, callout ids,
 * calls recorded during a callback and not started yet, and calls in flight with the context that made them.
 * Kept apart from the HTTP calls' {@link OutboundCalls}: Higress SDKs keep the two id spaces apart too.
 */
final class RedisCalls {

    /** A root context's proxy_redis_init of one cluster (with its options). */
    record Init(RedisClusterName name, String username, String password, long timeoutMillis) {
    }

    record Call(int token, RedisCallRequest request) {
    }

    private static final class InFlight {
        final int contextId;
        Runnable cancel;

        InFlight(int contextId) {
            this.contextId = contextId;
        }
    }

    private final Map<Integer, Map<String, Init>> inits = new HashMap<>();
    private final Map<Integer, InFlight> inFlight = new HashMap<>();
    private final List<Call> toStart = new ArrayList<>(2);
    private int lastToken;

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

    /** @return the new call's token, or 0 when the context has too many calls in flight */
    int record(int contextId, RedisCallRequest request) {
        if (inFlightFor(contextId) >= Limits.MAX_REDIS_CALLS_PER_CONTEXT) {
            return 0;
        }
        do {
            lastToken++;
        } while (lastToken == 0 || inFlight.containsKey(lastToken));
        inFlight.put(lastToken, new InFlight(contextId));
        toStart.add(new Call(lastToken, request));
        return lastToken;
    }

    int inFlightFor(int contextId) {
        if (inFlight.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (InFlight call : inFlight.values()) {
            if (call.contextId == contextId) {
                count++;
            }
        }
        return count;
    }

    boolean anyToStart() {
        return !toStart.isEmpty();
    }

    List<Call> takeToStart() {
        List<Call> calls = List.copyOf(toStart);
        toStart.clear();
        return calls;
    }

    void started(int token, Runnable cancel) {
        InFlight call = inFlight.get(token);
        if (call != null) {
            call.cancel = cancel;
        } else {
            cancel.run(); // cancelled while it was being started
        }
    }

    /** @return the id of the context that made the call, or null when the call was cancelled */
    Integer answered(int token) {
        InFlight call = inFlight.remove(token);
        return call == null ? null : call.contextId;
    }

    void cancelFor(int contextId) {
        cancelWhere(contextId, false);
    }

    void cancelAll() {
        cancelWhere(0, true);
    }

    private void cancelWhere(int contextId, boolean all) {
        if (inFlight.isEmpty()) {
            return;
        }
        toStart.removeIf(call -> all || inFlight.get(call.token()).contextId == contextId);
        for (Iterator<InFlight> calls = inFlight.values().iterator(); calls.hasNext();) {
            InFlight call = calls.next();
            if (all || call.contextId == contextId) {
                calls.remove();
                if (call.cancel != null) {
                    call.cancel.run();
                }
            }
        }
    }
}
