package io.wasmgateway.host.vm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One VM's outbound calls of one kind (lane only; HTTP calls, Redis calls): tokens, calls recorded during a
 * callback and not started yet, and calls in flight with the context that made them and the means to cancel
 * them.
 *
 * @param <R> the kind's request
 */
final class OutboundCalls<R> {

    record Call<R>(int token, R request) {
    }

    private static final class InFlight {
        int contextId;
        Runnable cancel;

        InFlight(int contextId) {
            this.contextId = contextId;
        }
    }

    private final Map<Integer, InFlight> inFlight = new HashMap<>();
    private final List<Call<R>> toStart = new ArrayList<>(2);
    private final int tokenStep;
    private final int maxPerContext;
    private int lastToken;

    /**
     * @param tokenStep how far apart tokens are (HTTP calls: 4, Envoy's callout ids that never equal a gRPC token)
     * @param maxPerContext how many calls one context may have recorded or running at once
     */
    OutboundCalls(int tokenStep, int maxPerContext) {
        this.tokenStep = tokenStep;
        this.maxPerContext = maxPerContext;
    }

    /** @return the new call's token, or 0 when the context has too many calls in flight */
    int record(int contextId, R request) {
        if (inFlightFor(contextId) >= maxPerContext) {
            return 0;
        }
        do {
            lastToken += tokenStep;
        } while (lastToken == 0 || inFlight.containsKey(lastToken));
        inFlight.put(lastToken, new InFlight(contextId));
        toStart.add(new Call<>(lastToken, request));
        return lastToken;
    }

    /** How many calls of the context are recorded or running and not answered yet. */
    int inFlightFor(int contextId) {
        if (inFlight.isEmpty()) {
            return 0; // the common case: no call at all
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

    /** The calls recorded since the last time, to start now that their callback has returned. */
    List<Call<R>> takeToStart() {
        if (toStart.isEmpty()) {
            return List.of();
        }
        List<Call<R>> calls = List.copyOf(toStart);
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

    /** Gives the context's calls (recorded or running) to another context: they are answered there. */
    void handOver(int fromContextId, int toContextId) {
        if (inFlight.isEmpty()) {
            return; // the common case at the end of a request: no iterator to make
        }
        for (InFlight call : inFlight.values()) {
            if (call.contextId == fromContextId) {
                call.contextId = toContextId;
            }
        }
    }

    void cancelFor(int contextId) {
        cancelWhere(contextId, false);
    }

    void cancelAll() {
        cancelWhere(0, true);
    }

    private void cancelWhere(int contextId, boolean all) {
        if (inFlight.isEmpty()) {
            return; // the common case at the end of a request: nothing to look through
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
