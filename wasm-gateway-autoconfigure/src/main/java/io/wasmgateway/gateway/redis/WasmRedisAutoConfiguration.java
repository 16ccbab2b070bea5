package io.wasmgateway.gateway.redis;

import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.gateway.WasmGatewayAutoConfiguration;
import io.wasmgateway.host.HostServices;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Redis for Proxy-Wasm filters, when Lettuce is on the class path: the clusters of {@code wasm.gateway.redis.*}
 * (and {@code default} from {@code spring.data.redis.*}), the dispatcher of proxy_redis_call, the
 * {@code wasmRedis} health contributor, and the replication of shared data when configured. Runs before the main configuration, whose host services pick the
 * dispatcher up.
 */
@AutoConfiguration(before = WasmGatewayAutoConfiguration.class)
@ConditionalOnClass(name = { "io.lettuce.core.RedisClient",
        "org.springframework.cloud.gateway.filter.GlobalFilter" })
@ConditionalOnBooleanProperty(name = "wasm.gateway.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WasmRedisProperties.class)
public class WasmRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RedisClusters wasmRedisClusters(WasmRedisProperties properties, Environment environment) {
        return new RedisClusters(RedisClusters.configured(properties, environment));
    }

    @Bean
    @ConditionalOnMissingBean
    LettuceRedisCallDispatcher wasmRedisCallDispatcher(RedisClusters clusters,
            ObjectProvider<MeterRegistry> meterRegistry) {
        MeterRegistry registry = meterRegistry.getIfUnique();
        return new LettuceRedisCallDispatcher(clusters, registry != null ? new RedisCallMetrics(registry)
                : RedisCallMetrics.NONE);
    }

    @Bean
    @ConditionalOnProperty("wasm.gateway.shared-data.replication.redis")
    SharedDataReplicator wasmSharedDataReplicator(WasmRedisProperties properties, RedisClusters clusters,
            HostServices services) {
        WasmRedisProperties.Replication replication = properties.getSharedData().getReplication();
        RedisCluster cluster = clusters.get(replication.getRedis());
        if (cluster == null) {
            throw new RedisConfigurationException("Shared-data replication names Redis cluster '"
                    + replication.getRedis() + "', which is not configured",
                    "Configure wasm.gateway.redis." + replication.getRedis() + ".url, or name a configured cluster "
                            + "in wasm.gateway.shared-data.replication.redis.");
        }
        if (replication.getPrefixes().isEmpty() || replication.getPrefixes().contains("")) {
            throw new RedisConfigurationException("Shared-data replication has no key prefixes (or an empty one)",
                    "List the replicated key prefixes in wasm.gateway.shared-data.replication.prefixes.");
        }
        return new SharedDataReplicator(services.sharedData(), cluster, replication, services.scheduler());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.ReactiveHealthIndicator")
    static class Health {

        @Bean
        @ConditionalOnEnabledHealthIndicator("wasm-redis")
        WasmRedisHealthIndicator wasmRedisHealthIndicator(RedisClusters clusters) {
            return new WasmRedisHealthIndicator(clusters);
        }
    }
}
