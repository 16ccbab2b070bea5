package io.wasmgateway.gateway.calls;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.wasmgateway.gateway.WasmGatewayProperties;
import io.wasmgateway.host.HttpCallDispatcher;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.HttpCallResponse;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.ResourceLoader;

/**
 * Carries filters' proxy_http_call requests to the configured clusters ({@code wasm.gateway.clusters.*}), each
 * on its own non-blocking WebClient over Reactor Netty with a connection pool.
 */
public class WebClientHttpCallDispatcher implements HttpCallDispatcher, DisposableBean {

    private final Map<String, ClusterClient> clusters = new LinkedHashMap<>();

    private final HttpCallMetrics metrics;

    public WebClientHttpCallDispatcher(Map<String, WasmGatewayProperties.Cluster> clusters,
            ResourceLoader resourceLoader, HttpCallMetrics metrics) {
        clusters.forEach((name, cluster) -> this.clusters.put(name, ClusterClient.create(name, cluster,
                resourceLoader)));
        this.metrics = metrics;
    }

    @Override
    public void destroy() {
        clusters.values().forEach(ClusterClient::close);
    }

    @Override
    public boolean hasUpstream(String upstream) {
        return clusters.containsKey(upstream);
    }

    @Override
    public Runnable dispatch(HttpCallRequest request, Consumer<HttpCallResponse> onDone) {
        ClusterClient cluster = clusters.get(request.upstream());
        if (cluster == null) {
            onDone.accept(HttpCallResponse.failed());
            return () -> {
            };
        }
        Duration timeout = cluster.timeoutFor(request.timeoutMillis());
        long start = System.nanoTime();
        // deferred: a request WebClient refuses (an empty :method) arrives as a failed call, not an exception
        Disposable call = Mono.defer(() -> cluster.call(request))
            .timeout(timeout)
            .subscribe(response -> {
                metrics.record(request.upstream(), HttpCallOutcome.of(response), System.nanoTime() - start);
                onDone.accept(response);
            }, error -> {
                metrics.record(request.upstream(), HttpCallOutcome.of(error), System.nanoTime() - start);
                onDone.accept(HttpCallResponse.failed());
            });
        return call::dispose;
    }
}
