package io.wasmgateway.gateway.exchange;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * The one decoration of a request's exchange on a ProxyWasm route: its response is the {@link ProxyWasmResponse}
 * (so that NettyWriteResponseFilter, which writes to the response of the exchange it was given, writes through
 * the filters), and its request is whatever the filters made of it. A filter that changes the request sets it
 * here instead of decorating the exchange once more ({@link #withRequest}).
 */
final class ProxyWasmWebExchange extends ServerWebExchangeDecorator {

    private final ProxyWasmExchange state;

    private final ProxyWasmResponse response;

    // volatile: the next filter may run on another thread (after a pause, or a body chunk from another loop)
    private volatile ServerHttpRequest request;

    ProxyWasmWebExchange(ServerWebExchange delegate, ProxyWasmExchange state, ProxyWasmResponse response) {
        super(delegate);
        this.state = state;
        this.response = response;
        this.request = delegate.getRequest();
    }

    /**
     * The request's filter state: this decoration's when the exchange is it (the common case, no attribute
     * lookup), else the one kept in the attributes (another filter decorated the exchange since), or null.
     */
    static ProxyWasmExchange state(ServerWebExchange exchange) {
        return exchange instanceof ProxyWasmWebExchange own ? own.state : ProxyWasmExchange.get(exchange);
    }

    /**
     * The exchange with the request a filter changed: this decoration itself when the exchange is it, else (an
     * exchange another filter decorated, or none of ours) a mutated copy, as before.
     */
    static ServerWebExchange withRequest(ServerWebExchange exchange, ServerHttpRequest request) {
        if (exchange instanceof ProxyWasmWebExchange own) {
            own.request = request;
            return own;
        }
        return exchange.mutate().request(request).build();
    }

    @Override
    public ServerHttpRequest getRequest() {
        return request;
    }

    @Override
    public ServerHttpResponse getResponse() {
        return response;
    }
}
