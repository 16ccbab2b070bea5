package io.wasmgateway.gateway.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The configured Redis clusters ({@code wasm.gateway.redis.*}, plus {@code default} from
 * {@code spring.data.redis.*}), on one set of Lettuce resources (its own two I/O threads). Reconnects are
 * retried quickly (50 ms, doubling up to 1 s), so that a restarted Redis serves again within about a second.
 */
public class RedisClusters implements DisposableBean {

    private final ClientResources resources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();

    private final Map<String, RedisCluster> clusters = new LinkedHashMap<>();

    public RedisClusters(Map<String, WasmRedisProperties.Cluster> configured) {
        configured.forEach((name, cluster) -> {
            check(name, cluster);
            clusters.put(name, new RedisCluster(name, cluster, resources));
        });
    }

    /** The clusters of {@code wasm.gateway.redis.*}, with {@code default} from Spring Boot's properties if set. */
    public static Map<String, WasmRedisProperties.Cluster> configured(WasmRedisProperties properties,
            Environment environment) {
        Map<String, WasmRedisProperties.Cluster> all = new LinkedHashMap<>(properties.getRedis());
        if (!all.containsKey("default")) {
            springDataRedis(environment).ifPresent(cluster -> all.put("default", cluster));
        }
        return all;
    }

    /** {@code spring.data.redis.*} as a cluster, when any of url, host or port is set. */
    static java.util.Optional<WasmRedisProperties.Cluster> springDataRedis(Environment environment) {
        Binder binder = Binder.get(environment);
        String url = binder.bind("spring.data.redis.url", String.class).orElse(null);
        String host = binder.bind("spring.data.redis.host", String.class).orElse(null);
        Integer port = binder.bind("spring.data.redis.port", Integer.class).orElse(null);
        if (url == null && host == null && port == null) {
            return java.util.Optional.empty();
        }
        boolean ssl = binder.bind("spring.data.redis.ssl.enabled", Boolean.class).orElse(false);
        WasmRedisProperties.Cluster cluster = new WasmRedisProperties.Cluster();
        cluster.setUrl(URI.create(url != null ? url : (ssl ? "rediss://" : "redis://")
                + (host != null ? host : "localhost") + ":" + (port != null ? port : 6379)));
        binder.bind("spring.data.redis.username", String.class).ifBound(cluster::setUsername);
        binder.bind("spring.data.redis.password", String.class).ifBound(cluster::setPassword);
        binder.bind("spring.data.redis.database", Integer.class).ifBound(cluster::setDatabase);
        binder.bind("spring.data.redis.timeout", Duration.class).ifBound(cluster::setTimeout);
        return java.util.Optional.of(cluster);
    }

    private static void check(String name, WasmRedisProperties.Cluster cluster) {
        String property = "wasm.gateway.redis." + name;
        URI url = cluster.getUrl();
        if (url == null) {
            throw new RedisConfigurationException("Redis cluster '" + name + "' has no url",
                    "Set " + property + ".url to redis://host:port or rediss://host:port (TLS).");
        }
        if (!"redis".equals(url.getScheme()) && !"rediss".equals(url.getScheme()) || url.getHost() == null) {
            throw new RedisConfigurationException("Redis cluster '" + name + "': url '" + url
                    + "' is not redis://host:port or rediss://host:port",
                    "Set " + property + ".url to redis://host:port or rediss://host:port (TLS).");
        }
        if (cluster.getTimeout() == null || cluster.getTimeout().isNegative() || cluster.getTimeout().isZero()) {
            throw new RedisConfigurationException("Redis cluster '" + name + "': timeout must be positive",
                    "Set " + property + ".timeout to a positive duration such as 1s.");
        }
    }

    Map<String, RedisCluster> byName() {
        return Collections.unmodifiableMap(clusters);
    }

    RedisCluster get(String name) {
        return clusters.get(name);
    }

    @Override
    public void destroy() {
        clusters.values().forEach(RedisCluster::close);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
