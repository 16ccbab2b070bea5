package io.wasmgateway.gateway.extism;

import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import io.wasmgateway.gateway.ModuleBytes;
import io.wasmgateway.gateway.WasmGatewayAutoConfiguration;
import io.wasmgateway.gateway.WasmGatewayProperties;
import io.wasmgateway.gateway.WasmModuleReloader;
import io.wasmgateway.host.HostServices;
import org.extism.sdk.chicory.Plugin;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * Extism plugins as route handlers: the modules with {@code kind: extism} and the {@code WasmRewrite} and
 * {@code WasmContent} filters. On when wasm-gateway is (it needs its host services and reloader) and Extism's
 * Chicory SDK ({@code org.extism.sdk:chicory-sdk-core}, which the starter brings) is on the class path.
 */
@AutoConfiguration(after = WasmGatewayAutoConfiguration.class)
@ConditionalOnClass(Plugin.class)
@ConditionalOnBean(WasmModuleReloader.class)
public class ExtismAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ExtismModules extismModules(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            HostServices wasmHostServices, WasmModuleReloader reloader) {
        ExtismModules modules = new ExtismModules(properties, new ModuleBytes(properties, resourceLoader),
                wasmHostServices.observer());
        modules.names().forEach(name -> reloader.reloadsOtherKind(name, skip -> modules.reload(name, skip)));
        return modules;
    }

    @Bean
    @ConditionalOnMissingBean
    WasmRewriteGatewayFilterFactory wasmRewriteGatewayFilterFactory(ExtismModules modules,
            HostServices wasmHostServices, ObjectProvider<ObservationRegistry> observations) {
        return new WasmRewriteGatewayFilterFactory(modules, wasmHostServices.observer(),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    WasmContentGatewayFilterFactory wasmContentGatewayFilterFactory(ExtismModules modules,
            HostServices wasmHostServices, ObjectProvider<ObservationRegistry> observations) {
        return new WasmContentGatewayFilterFactory(modules, wasmHostServices.observer(),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /** The {@code extism} Actuator endpoint and health contributor, when Actuator is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    static class ExtismActuatorConfiguration {

        @Bean
        @ConditionalOnAvailableEndpoint
        ExtismEndpoint extismEndpoint(ExtismModules modules) {
            return new ExtismEndpoint(modules);
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
        @ConditionalOnEnabledHealthIndicator("extism")
        ExtismHealthIndicator extismHealthIndicator(ExtismModules modules) {
            return new ExtismHealthIndicator(modules);
        }
    }

    @Bean
    ExtismRouteValidator extismRouteValidator(GatewayProperties gatewayProperties,
            ConfigurationService configurationService, List<ExtismFilterFactory> factories) {
        return new ExtismRouteValidator(gatewayProperties, configurationService, factories);
    }
}
