package io.wasmgateway.gateway.calls;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.wasmgateway.gateway.WasmGatewayProperties;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.HttpCallResponse;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/** One cluster: its WebClient (pooled connections, connect timeout, TLS trust) and its limits. */
final class ClusterClient {

    private static final String STATUS = ":status";

    private final WebClient client;

    private final ConnectionProvider connections;

    private final Duration responseTimeout;

    private final int maxResponseBytes;

    private ClusterClient(WebClient client, ConnectionProvider connections, Duration responseTimeout,
            int maxResponseBytes) {
        this.client = client;
        this.connections = connections;
        this.responseTimeout = responseTimeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    static ClusterClient create(String name, WasmGatewayProperties.Cluster cluster, ResourceLoader resourceLoader) {
        if (cluster.getUri() == null || cluster.getUri().getHost() == null) {
            throw new IllegalArgumentException("wasm.gateway.clusters." + name + ".uri must be an http:// or "
                    + "https:// URI with a host, was " + cluster.getUri());
        }
        String scheme = String.valueOf(cluster.getUri().getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("wasm.gateway.clusters." + name + ".uri must be http:// or https://, "
                    + "was " + cluster.getUri());
        }
        // waiting calls are bounded by their own timeout, not by a queue length (Reactor Netty's default)
        ConnectionProvider connections = ConnectionProvider.builder("wasm-cluster-" + name)
            .maxConnections(cluster.getMaxConnections())
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(cluster.getResponseTimeout())
            .build();
        HttpClient http = HttpClient.create(connections)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) cluster.getConnectTimeout().toMillis());
        if (scheme.equals("https") && cluster.getTrustBundle() != null) {
            SslContext ssl = trusting(name, cluster.getTrustBundle(), resourceLoader);
            http = http.secure(spec -> spec.sslContext(ssl)); // host names stay verified (Reactor Netty's default)
        }
        WebClient client = WebClient.builder()
            .baseUrl(cluster.getUri().toString())
            .clientConnector(new ReactorClientHttpConnector(http))
            .build();
        return new ClusterClient(client, connections, cluster.getResponseTimeout(),
                (int) Math.min(Integer.MAX_VALUE, cluster.getMaxResponseBytes().toBytes()));
    }

    void close() {
        connections.dispose();
    }

    /** The smaller of the filter's timeout (0: none) and the cluster's. */
    Duration timeoutFor(long filterTimeoutMillis) {
        if (filterTimeoutMillis <= 0) {
            return responseTimeout;
        }
        Duration filters = Duration.ofMillis(filterTimeoutMillis);
        return filters.compareTo(responseTimeout) < 0 ? filters : responseTimeout;
    }

    Mono<HttpCallResponse> call(HttpCallRequest request) {
        String method = null;
        String path = "/";
        String authority = null;
        for (Map.Entry<String, String> header : request.headers()) {
            switch (header.getKey()) {
                case ":method" -> method = header.getValue();
                case ":path" -> path = header.getValue();
                case ":authority" -> authority = header.getValue();
                default -> {
                }
            }
        }
        String host = authority;
        WebClient.RequestBodySpec spec = client.method(HttpMethod.valueOf(method))
            .uri(path)
            .headers(headers -> {
                for (Map.Entry<String, String> header : request.headers()) {
                    if (!header.getKey().startsWith(":")) {
                        headers.add(header.getKey(), header.getValue());
                    }
                }
                if (host != null && !host.isEmpty()) {
                    headers.set("host", host); // an empty :authority leaves the cluster's own host:port
                }
            });
        WebClient.RequestHeadersSpec<?> withBody = request.body().length > 0 ? spec.bodyValue(request.body()) : spec;
        return withBody.exchangeToMono(response -> DataBufferUtils
            .join(response.bodyToFlux(DataBuffer.class), maxResponseBytes)
            .map(ClusterClient::bytes)
            .defaultIfEmpty(new byte[0])
            .map(body -> {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                headers.add(Map.entry(STATUS, Integer.toString(response.statusCode().value())));
                response.headers().asHttpHeaders().forEach((name, values) -> {
                    for (String value : values) {
                        headers.add(Map.entry(name.toLowerCase(Locale.ROOT), value));
                    }
                });
                return new HttpCallResponse(headers, body, List.of());
            }));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }

    private static SslContext trusting(String name, String bundle, ResourceLoader resourceLoader) {
        try (InputStream pem = resourceLoader.getResource(bundle).getInputStream()) {
            return SslContextBuilder.forClient().trustManager(pem).build();
        }
        catch (IOException ex) {
            throw new IllegalArgumentException("wasm.gateway.clusters." + name + ".trust-bundle: cannot read "
                    + bundle + ": " + ex.getMessage(), ex);
        }
    }
}
