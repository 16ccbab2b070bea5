package io.wasmgateway.gateway.actuate;

import io.wasmgateway.gateway.WasmGatewayAutoConfiguration;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import io.wasmgateway.host.HostServices;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/** The {@code wasm} Actuator endpoint, when Actuator is present and the endpoint is exposed. */
@AutoConfiguration(after = WasmGatewayAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(WasmModuleRegistry.class)
public class WasmEndpointAutoConfiguration {

    @Bean
    @ConditionalOnAvailableEndpoint
    WasmEndpoint wasmEndpoint(WasmModuleRegistry registry, ProxyWasmPlugins plugins, HostServices services) {
        return new WasmEndpoint(registry, plugins, services);
    }
}
