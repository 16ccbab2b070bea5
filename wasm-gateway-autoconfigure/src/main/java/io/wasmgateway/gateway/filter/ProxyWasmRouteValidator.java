package io.wasmgateway.gateway.filter;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.ConfigurationService;

/**
 * Builds the {@code ProxyWasm} filters of the configured routes while the application starts. The gateway
 * loads routes later, on an event, and only logs a route that fails; building them here makes an unknown
 * module or a plugin whose proxy_on_configure fails stop the startup, and creates the plugins before the
 * first request. The gateway's own route loading then finds them in {@link ProxyWasmPlugins}.
 */
public class ProxyWasmRouteValidator implements SmartInitializingSingleton {

    private final GatewayProperties gatewayProperties;

    private final ConfigurationService configurationService;

    private final ProxyWasmGatewayFilterFactory factory;

    public ProxyWasmRouteValidator(GatewayProperties gatewayProperties, ConfigurationService configurationService,
            ProxyWasmGatewayFilterFactory factory) {
        this.gatewayProperties = gatewayProperties;
        this.configurationService = configurationService;
        this.factory = factory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (RouteDefinition route : gatewayProperties.getRoutes()) {
            List<FilterDefinition> filters = new ArrayList<>(gatewayProperties.getDefaultFilters());
            filters.addAll(route.getFilters());
            for (FilterDefinition filter : filters) {
                if (ProxyWasmGatewayFilterFactory.NAME.equals(filter.getName())) {
                    build(route.getId(), filter);
                }
            }
        }
    }

    private void build(String routeId, FilterDefinition filter) {
        // bound exactly as RouteDefinitionRouteLocator binds it
        ProxyWasmGatewayFilterFactory.Config config = configurationService.with(factory)
            .name(filter.getName())
            .properties(filter.getArgs())
            .bind();
        config.setRouteId(routeId);
        factory.apply(config);
    }
}
