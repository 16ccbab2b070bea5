package io.wasmgateway.gateway.actuate;

import io.wasmgateway.gateway.WasmGatewayAutoConfiguration;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.WasmModuleReloader;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.gateway.metrics.WasmModuleMeters;
import io.wasmgateway.host.HostServices;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code wasm} Actuator endpoint, the {@code wasm} health contributor and the module gauges. */
@AutoConfiguration(after = WasmGatewayAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean(WasmModuleRegistry.class)
public class WasmEndpointAutoConfiguration {

    @Bean
    @ConditionalOnAvailableEndpoint
    @ConditionalOnMissingBean
    WasmEndpoint wasmEndpoint(WasmModuleRegistry registry, ProxyWasmPlugins plugins, HostServices services,
            ObjectProvider<MeterRegistry> meterRegistry, WasmModuleReloader reloader) {
        return new WasmEndpoint(registry, plugins, services, meterRegistry.getIfUnique(), reloader);
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("wasm")
    @ConditionalOnMissingBean
    WasmHealthIndicator wasmHealthIndicator(WasmModuleRegistry registry) {
        return new WasmHealthIndicator(registry);
    }

    @Bean
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    @ConditionalOnMissingBean
    WasmModuleMeters wasmModuleMeters(WasmModuleRegistry registry) {
        return new WasmModuleMeters(registry);
    }
}
