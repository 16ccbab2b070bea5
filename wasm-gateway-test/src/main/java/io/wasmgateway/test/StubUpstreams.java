package io.wasmgateway.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import io.wasmgateway.host.HttpCallDispatcher;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.HttpCallResponse;

/**
 * The upstreams a filter's proxy_http_call reaches in a {@link FilterTester}: each answered by a stub the test
 * declares, at once or when the test says ({@link #hold}). Every call is recorded. An upstream without a stub is
 * unknown to the filter (BAD_ARGUMENT), as an unconfigured cluster is in the gateway.
 */
public final class StubUpstreams implements HttpCallDispatcher {

    private final Map<String, Function<HttpCallRequest, HttpCallResponse>> stubs = new ConcurrentHashMap<>();

    private final List<HttpCallRequest> calls = new ArrayList<>();

    private final List<Pending> held = new ArrayList<>();

    private final Map<String, Boolean> holding = new ConcurrentHashMap<>();

    /** Answers calls to {@code upstream} with {@code answer} (see {@link TestResponses} for answers). */
    public StubUpstreams stub(String upstream, Function<HttpCallRequest, HttpCallResponse> answer) {
        stubs.put(upstream, answer);
        return this;
    }

    /** Calls to {@code upstream} wait until {@link #release()}: for tests of what a filter does meanwhile. */
    public StubUpstreams hold(String upstream) {
        holding.put(upstream, true);
        return this;
    }

    /** Answers every held call now, in order; returns how many. */
    public int release() {
        List<Pending> now;
        synchronized (this) {
            now = new ArrayList<>(held);
            held.clear();
        }
        now.forEach(pending -> pending.onDone().accept(answer(pending.request())));
        return now.size();
    }

    /** The calls filters made, in order. */
    public synchronized List<HttpCallRequest> calls() {
        return List.copyOf(calls);
    }

    @Override
    public boolean hasUpstream(String upstream) {
        return stubs.containsKey(upstream);
    }

    @Override
    public Runnable dispatch(HttpCallRequest request, Consumer<HttpCallResponse> onDone) {
        Pending pending = new Pending(request, onDone);
        synchronized (this) {
            calls.add(request);
            if (holding.containsKey(request.upstream())) {
                held.add(pending);
                return () -> {
                    synchronized (this) {
                        held.remove(pending);
                    }
                };
            }
        }
        onDone.accept(answer(request));
        return () -> { };
    }

    private HttpCallResponse answer(HttpCallRequest request) {
        Function<HttpCallRequest, HttpCallResponse> stub = stubs.get(request.upstream());
        HttpCallResponse response = stub == null ? null : stub.apply(request);
        return response == null ? HttpCallResponse.failed() : response;
    }

    private record Pending(HttpCallRequest request, Consumer<HttpCallResponse> onDone) {
    }
}
