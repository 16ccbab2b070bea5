package io.wasmgateway.gateway.extism;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.ConfigurationService;

/**
 * Builds the {@code WasmRewrite} and {@code WasmContent} filters of the configured routes while the application
 * starts (the gateway builds routes later and only logs a failure), so a route naming an unknown module, a
 * Proxy-Wasm module or a function the plugin does not export stops the startup.
 */
public class ExtismRouteValidator implements SmartInitializingSingleton {

    private final GatewayProperties gatewayProperties;

    private final ConfigurationService configurationService;

    private final List<ExtismFilterFactory> factories;

    public ExtismRouteValidator(GatewayProperties gatewayProperties, ConfigurationService configurationService,
            List<ExtismFilterFactory> factories) {
        this.gatewayProperties = gatewayProperties;
        this.configurationService = configurationService;
        this.factories = factories;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (RouteDefinition route : gatewayProperties.getRoutes()) {
            List<FilterDefinition> filters = new ArrayList<>(gatewayProperties.getDefaultFilters());
            filters.addAll(route.getFilters());
            for (FilterDefinition filter : filters) {
                for (ExtismFilterFactory factory : factories) {
                    if (factory.name().equals(filter.getName())) {
                        // bound exactly as RouteDefinitionRouteLocator binds it
                        ExtismFilterFactory.Config config = configurationService.with(factory)
                            .name(filter.getName())
                            .properties(filter.getArgs())
                            .bind();
                        config.setRouteId(route.getId());
                        factory.apply(config);
                    }
                }
            }
        }
    }
}
