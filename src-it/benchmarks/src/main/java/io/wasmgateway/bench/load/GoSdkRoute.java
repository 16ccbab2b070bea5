package io.wasmgateway.bench.load;

import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The load benchmark's Go SDK route, /wasm-go/**: proxy-wasm-go-sdk's http_headers (module go-headers), configured
 * as its main_test.go does. Declared here rather than in application-bench.yml because its binary lives outside
 * the tree (../shared/conformance): load.sh checks it against MANIFEST.tsv, then passes the module's location and
 * {@code bench.go-route=true}; without them the gateway starts with the other routes only.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("bench.go-route")
class GoSdkRoute {

    @Bean
    RouteLocator wasmGoRoute(RouteLocatorBuilder routes, ProxyWasmGatewayFilterFactory proxyWasm,
            @Value("${bench.upstream}") String upstream) {
        ProxyWasmGatewayFilterFactory.Config config = new ProxyWasmGatewayFilterFactory.Config()
                .setModule("go-headers")
                .setConfig("{\"header\": \"x-wasm-header\", \"value\": \"x-value\"}");
        config.setRouteId("wasm-go");
        return routes.routes()
                .route("wasm-go", route -> route.path("/wasm-go/**")
                        .filters(filters -> filters.filter(proxyWasm.apply(config)))
                        .uri(upstream))
                .build();
    }
}
