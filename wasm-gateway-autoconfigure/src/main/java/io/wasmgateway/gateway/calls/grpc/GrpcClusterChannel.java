package io.wasmgateway.gateway.calls.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.wasmgateway.gateway.WasmGatewayProperties;

import org.springframework.core.io.ResourceLoader;

/**
 * One gRPC cluster: a single grpc-java channel (HTTP/2, plaintext for {@code grpc://}, TLS verified against the
 * cluster's trust bundle or the JVM's for {@code grpcs://}) reused by every call, with the cluster's deadline and
 * message bound. Callbacks run on the channel's Netty threads (a direct executor): they only hand work to VM
 * lanes.
 */
final class GrpcClusterChannel {

    private final String name;

    private final String authority;

    private final boolean tls;

    private final ManagedChannel channel;

    private final Duration deadline;

    private final int maxMessageBytes;

    private GrpcClusterChannel(String name, String authority, boolean tls, ManagedChannel channel,
            Duration deadline, int maxMessageBytes) {
        this.name = name;
        this.authority = authority;
        this.tls = tls;
        this.channel = channel;
        this.deadline = deadline;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Whether the cluster is a gRPC one: its URI's scheme is {@code grpc} or {@code grpcs}. */
    static boolean isGrpc(WasmGatewayProperties.Cluster cluster) {
        URI uri = cluster.getUri();
        String scheme = uri == null ? "" : String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
        return scheme.equals("grpc") || scheme.equals("grpcs");
    }

    static GrpcClusterChannel create(String name, WasmGatewayProperties.Cluster cluster,
            ResourceLoader resourceLoader) {
        URI uri = cluster.getUri();
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("wasm.gateway.clusters." + name + ".uri must be grpc://host:port or "
                    + "grpcs://host:port, was " + uri);
        }
        boolean tls = uri.getScheme().equalsIgnoreCase("grpcs");
        int maxMessageBytes = (int) Math.min(Integer.MAX_VALUE, cluster.getMaxResponseBytes().toBytes());
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
            .directExecutor() // listeners only queue work on a VM lane: no thread hop
            .maxInboundMessageSize(maxMessageBytes)
            .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) cluster.getConnectTimeout().toMillis());
        if (tls) {
            builder.useTransportSecurity(); // host names are verified
            if (cluster.getTrustBundle() != null) {
                builder.sslContext(trusting(name, cluster.getTrustBundle(), resourceLoader));
            }
        }
        else {
            builder.usePlaintext();
        }
        return new GrpcClusterChannel(name, uri.getHost() + ':' + uri.getPort(), tls, builder.build(),
                cluster.getResponseTimeout(), maxMessageBytes);
    }

    String name() {
        return name;
    }

    /** host:port, as a filter's {@code google_grpc.target_uri} may name the cluster. */
    String authority() {
        return authority;
    }

    java.util.Map<String, Object> describe() {
        return java.util.Map.of("target", authority, "tls", tls, "deadline", deadline.toString(),
                "maxMessageBytes", maxMessageBytes, "state", channel.getState(false).name());
    }

    ManagedChannel channel() {
        return channel;
    }

    int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Call options: for a unary call a deadline, the filter's when it is smaller than the cluster's. */
    CallOptions options(boolean unary, long filterTimeoutMillis) {
        CallOptions options = CallOptions.DEFAULT.withMaxInboundMessageSize(maxMessageBytes)
            .withMaxOutboundMessageSize(maxMessageBytes);
        if (!unary) {
            return options; // a stream lasts as long as its context (Envoy gives streams no timeout either)
        }
        long millis = deadline.toMillis();
        if (filterTimeoutMillis > 0 && filterTimeoutMillis < millis) {
            millis = filterTimeoutMillis;
        }
        return options.withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
    }

    void close() {
        channel.shutdownNow();
    }

    private static SslContext trusting(String name, String bundle, ResourceLoader resourceLoader) {
        try (InputStream pem = resourceLoader.getResource(bundle).getInputStream()) {
            return GrpcSslContexts.forClient().trustManager(pem).build();
        }
        catch (IOException ex) {
            throw new IllegalArgumentException("wasm.gateway.clusters." + name + ".trust-bundle: cannot read "
                    + bundle + ": " + ex.getMessage(), ex);
        }
    }
}
