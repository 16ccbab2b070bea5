package io.wasmgateway.gateway.calls.grpc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.grpc.ClientCall;
import io.wasmgateway.gateway.WasmGatewayProperties;
import io.wasmgateway.host.GrpcCallDispatcher;
import io.wasmgateway.host.GrpcCallHandle;
import io.wasmgateway.host.GrpcCallListener;
import io.wasmgateway.host.GrpcCallRequest;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.ResourceLoader;

/**
 * Carries filters' proxy_grpc_call and proxy_grpc_stream to the gRPC clusters ({@code wasm.gateway.clusters.*}
 * whose URI is {@code grpc://} or {@code grpcs://}), each on one grpc-java channel. A filter names a cluster by its
 * name, or by its {@code host:port} as a {@code GrpcService}'s {@code google_grpc.target_uri}: nothing else is
 * reachable.
 */
public class GrpcJavaCallDispatcher implements GrpcCallDispatcher, DisposableBean {

    private final Map<String, GrpcClusterChannel> clusters = new LinkedHashMap<>();

    private final Map<String, GrpcClusterChannel> byAuthority = new LinkedHashMap<>();

    private final GrpcCallMetrics metrics;

    public GrpcJavaCallDispatcher(Map<String, WasmGatewayProperties.Cluster> clusters, ResourceLoader resourceLoader,
            GrpcCallMetrics metrics) {
        clusters.forEach((name, cluster) -> {
            if (GrpcClusterChannel.isGrpc(cluster)) {
                GrpcClusterChannel channel = GrpcClusterChannel.create(name, cluster, resourceLoader);
                this.clusters.put(name, channel);
                this.byAuthority.putIfAbsent(channel.authority(), channel);
            }
        });
        this.metrics = metrics;
    }

    /** Whether a cluster is a gRPC one: its URI's scheme is {@code grpc} or {@code grpcs}. */
    public static boolean isGrpc(WasmGatewayProperties.Cluster cluster) {
        return GrpcClusterChannel.isGrpc(cluster);
    }

    /** Per gRPC cluster, for the actuator: its target, TLS, the unary deadline and the message bound. */
    public Map<String, Map<String, Object>> describe() {
        Map<String, Map<String, Object>> described = new LinkedHashMap<>();
        clusters.forEach((name, channel) -> described.put(name, channel.describe()));
        return described;
    }

    @Override
    public void destroy() {
        clusters.values().forEach(GrpcClusterChannel::close);
    }

    @Override
    public boolean hasCluster(String cluster) {
        return find(cluster) != null;
    }

    @Override
    public GrpcCallHandle start(GrpcCallRequest request, GrpcCallListener listener) {
        GrpcClusterChannel cluster = find(request.cluster());
        if (cluster == null) {
            listener.onClose(14, "unknown gRPC cluster " + request.cluster(), List.of()); // UNAVAILABLE
            return GrpcCallHandle.NONE;
        }
        ClientCall<byte[], byte[]> call = cluster.channel().newCall(GrpcJavaCall.method(request),
                cluster.options(request.isUnary(), request.timeoutMillis()));
        long start = System.nanoTime();
        return GrpcJavaCall.start(call, request, listener,
                status -> metrics.record(cluster.name(), request.isUnary(), status, System.nanoTime() - start));
    }

    private GrpcClusterChannel find(String cluster) {
        GrpcClusterChannel channel = clusters.get(cluster);
        if (channel != null) {
            return channel;
        }
        String target = cluster.startsWith("dns:///") ? cluster.substring("dns:///".length()) : cluster;
        return byAuthority.get(target);
    }
}
