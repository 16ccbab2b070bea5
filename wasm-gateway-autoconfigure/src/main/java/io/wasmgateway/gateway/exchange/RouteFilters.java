package io.wasmgateway.gateway.exchange;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;

/**
 * The ProxyWasm filters of each route, found once per {@link Route} object instead of on every request. A
 * route refresh makes new Route objects: {@link #clear} then drops the old ones (and a cache that grows past
 * {@link #MAX_ROUTES} starts over, for routes made without a refresh event). Reads take no lock: the map is
 * replaced, never changed.
 */
final class RouteFilters {

    static final int MAX_ROUTES = 1024;

    static final ProxyWasmGatewayFilter[] NONE = {};

    private volatile Map<Route, ProxyWasmGatewayFilter[]> known = new IdentityHashMap<>();

    /** The route's ProxyWasm filters in route order, or {@link #NONE}. */
    ProxyWasmGatewayFilter[] of(Route route) {
        ProxyWasmGatewayFilter[] filters = known.get(route);
        if (filters == null) {
            filters = find(route);
            remember(route, filters);
        }
        return filters;
    }

    void clear() {
        known = new IdentityHashMap<>();
    }

    private synchronized void remember(Route route, ProxyWasmGatewayFilter[] filters) {
        Map<Route, ProxyWasmGatewayFilter[]> next = known.size() >= MAX_ROUTES ? new IdentityHashMap<>()
                : new IdentityHashMap<>(known);
        next.put(route, filters);
        known = next;
    }

    static ProxyWasmGatewayFilter[] find(Route route) {
        List<ProxyWasmGatewayFilter> found = new ArrayList<>(2);
        for (GatewayFilter filter : route.getFilters()) {
            GatewayFilter unwrapped = filter instanceof OrderedGatewayFilter ordered ? ordered.getDelegate() : filter;
            if (unwrapped instanceof ProxyWasmGatewayFilter proxyWasm) {
                found.add(proxyWasm);
            }
        }
        return found.isEmpty() ? NONE : found.toArray(NONE);
    }
}
