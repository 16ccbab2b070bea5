package io.wasmgateway.gateway.exchange;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Prepares the requests of routes that use ProxyWasm: the shared {@link ProxyWasmExchange} state, and the one
 * decoration of the exchange ({@link ProxyWasmWebExchange}) whose response runs the filters' response callbacks.
 * It must be a global filter ordered just before {@link NettyWriteResponseFilter}: that filter writes the upstream
 * body to the response of the exchange it receives, so a decorator installed by a route filter (ordered after it)
 * would never see the body. It also finishes every filter context once the response is done, whether it
 * completed, failed or was cancelled.
 */
public class ProxyWasmExchangeFilter implements GlobalFilter, Ordered, ApplicationListener<RefreshRoutesResultEvent> {

    /** Just before {@link NettyWriteResponseFilter#WRITE_RESPONSE_FILTER_ORDER}. */
    public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

    private final ResponseAborts aborts;

    private final RouteFilters routeFilters = new RouteFilters();

    public ProxyWasmExchangeFilter() {
        this(ResponseAborts.NONE);
    }

    public ProxyWasmExchangeFilter(ResponseAborts aborts) {
        this.aborts = aborts;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        ProxyWasmGatewayFilter[] filters = route != null ? routeFilters.of(route) : RouteFilters.NONE;
        if (filters.length == 0) {
            return chain.filter(exchange);
        }
        ProxyWasmExchange state = new ProxyWasmExchange(aborts);
        ServerHttpResponse original = exchange.getResponse();
        ProxyWasmResponse response = new ProxyWasmResponse(original, state, exchange.getRequest().getMethod());
        ProxyWasmWebExchange decorated = new ProxyWasmWebExchange(exchange, state, response);
        state.attach(decorated, filters);
        original.beforeCommit(response::beforeCommitOfOriginal);
        return chain.filter(decorated).doFinally(signal -> state.finish());
    }

    /** Refreshed routes are new Route objects: forget the old ones. */
    @Override
    public void onApplicationEvent(RefreshRoutesResultEvent event) {
        routeFilters.clear();
    }
}
