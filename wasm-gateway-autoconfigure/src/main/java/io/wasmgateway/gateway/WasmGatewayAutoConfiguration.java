package io.wasmgateway.gateway;

import io.wasmgateway.gateway.exchange.ProxyWasmExchangeFilter;
import io.wasmgateway.gateway.filter.ProxyWasmFilterDefinitions;
import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import io.wasmgateway.gateway.filter.ProxyWasmRouteValidator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

/**
 * Proxy-Wasm filters for Spring Cloud Gateway (server-webflux): the configured modules, the {@code ProxyWasm}
 * route filter and the global filter that runs their response callbacks. Off with
 * {@code wasm.gateway.enabled=false}, and whenever the gateway itself is off.
 */
@AutoConfiguration(after = GatewayAutoConfiguration.class)
@ConditionalOnClass({ GlobalFilter.class, GatewayProperties.class })
@ConditionalOnBooleanProperty(name = "wasm.gateway.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "spring.cloud.gateway.server.webflux.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WasmGatewayProperties.class)
public class WasmGatewayAutoConfiguration {

    @Bean
    WasmModuleRegistry wasmModuleRegistry(WasmGatewayProperties properties, ResourceLoader resourceLoader) {
        return new WasmModuleRegistry(properties, resourceLoader);
    }

    @Bean
    ProxyWasmPlugins proxyWasmPlugins(WasmModuleRegistry registry) {
        return new ProxyWasmPlugins(registry);
    }

    @Bean
    ProxyWasmGatewayFilterFactory proxyWasmGatewayFilterFactory(ProxyWasmPlugins plugins) {
        return new ProxyWasmGatewayFilterFactory(plugins);
    }

    @Bean
    ProxyWasmExchangeFilter proxyWasmExchangeFilter() {
        return new ProxyWasmExchangeFilter();
    }

    // static: a post-processor must not pull this configuration (and its beans) in early
    @Bean
    static ProxyWasmFilterDefinitions proxyWasmFilterDefinitions() {
        return new ProxyWasmFilterDefinitions();
    }

    @Bean
    ProxyWasmRouteValidator proxyWasmRouteValidator(GatewayProperties gatewayProperties,
            ConfigurationService configurationService, ProxyWasmGatewayFilterFactory factory) {
        return new ProxyWasmRouteValidator(gatewayProperties, configurationService, factory);
    }
}
