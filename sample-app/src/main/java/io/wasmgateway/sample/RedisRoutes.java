package io.wasmgateway.sample;

import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code redis} (application-redis.yml): the cluster-wide rate limiter (one EVAL per request on the
 * Redis of {@code spring.data.redis.*}) and the deny list replicated through it. Run two samples on one Redis
 * (ports 8080 and 8081) and they share one limit and one deny list.
 */
@Configuration(proxyBeanMethods = false)
@Profile("redis")
class RedisRoutes {

    @Bean
    RouteLocator clusterWideRoutes(RouteLocatorBuilder routes, ProxyWasmGatewayFilterFactory proxyWasm,
            @Value("${server.port}") int port) {
        String upstream = "http://localhost:" + port;
        return routes.routes()
            .route("cluster-limited", route -> route.path("/cluster-limited/**")
                .filters(filters -> filters.filter(proxyWasm.apply("cluster-limited", config -> config
                    .setModule("cluster-ratelimit")
                    .setConfig("cluster default; header x-api-key; limit 3; window 60; prefix sample; failure open")))
                    .rewritePath("/cluster-limited/(?<rest>.*)", "/upstream/${rest}"))
                .uri(upstream))
            .route("guarded", route -> route.path("/guarded/**")
                .filters(filters -> filters.filter(proxyWasm.apply("guarded", config -> config.setModule("denylist")
                    .setConfig("header x-api-key; prefix denylist:")))
                    .rewritePath("/guarded/(?<rest>.*)", "/upstream/${rest}"))
                .uri(upstream))
            .build();
    }
}
