package io.wasmgateway.gateway.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.lettuce.core.api.StatefulRedisConnection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * Health contributor {@code wasmRedis}: UP when every configured Redis cluster answers PING on its configured
 * connection within its timeout; DOWN otherwise, with each cluster's address and, when down, why (refused
 * credentials are said so). Never blocks: each PING is asynchronous.
 */
public class WasmRedisHealthIndicator implements ReactiveHealthIndicator {

    private final RedisClusters clusters;

    public WasmRedisHealthIndicator(RedisClusters clusters) {
        this.clusters = clusters;
    }

    @Override
    public Mono<Health> health() {
        if (clusters.byName().isEmpty()) {
            return Mono.just(Health.unknown().withDetail("clusters", "none configured").build());
        }
        return Flux.fromIterable(clusters.byName().values())
            .flatMap(cluster -> ping(cluster).map(error -> Map.entry(cluster, error)))
            .collectList()
            .map(results -> {
                boolean up = true;
                Map<String, Object> details = new LinkedHashMap<>();
                for (Map.Entry<RedisCluster, String> result : results) {
                    RedisCluster cluster = result.getKey();
                    boolean clusterUp = result.getValue().isEmpty();
                    up &= clusterUp;
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("status", clusterUp ? "UP" : "DOWN");
                    detail.put("address", cluster.address());
                    if (!clusterUp) {
                        detail.put("error", result.getValue());
                    }
                    details.put(cluster.name(), detail);
                }
                return (up ? Health.up() : Health.down()).withDetails(details).build();
            });
    }

    /** "" when the cluster answered, else why not. */
    private static Mono<String> ping(RedisCluster cluster) {
        Duration timeout = cluster.timeout();
        return Mono.fromFuture(() -> cluster.connection())
            .flatMap(connection -> Mono.fromCompletionStage(ping(connection)))
            .timeout(timeout)
            .map(pong -> "")
            .onErrorResume(error -> Mono.just(error instanceof java.util.concurrent.TimeoutException
                    ? "no answer within " + timeout.toMillis() + " ms" : RedisCluster.reason(error)));
    }

    private static java.util.concurrent.CompletionStage<String> ping(StatefulRedisConnection<byte[], byte[]> connection) {
        return connection.async().ping();
    }
}
