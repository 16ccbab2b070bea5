package io.wasmgateway.gateway.exchange;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

/**
 * The one decoration of a request's exchange on a ProxyWasm route: its response is the {@link ProxyWasmResponse}
 * (so that NettyWriteResponseFilter, which writes to the response of the exchange it was given, writes through
 * the filters), and its request is whatever the filters made of it. A filter that changes the request passes on
 * a copy of this decoration with the changed request ({@link #withRequest}) instead of decorating it once more.
 * The exchange a filter received is never changed under it: a filter before it that runs the chain again (SCG's
 * Retry) runs it with the request it had.
 */
final class ProxyWasmWebExchange extends ServerWebExchangeDecorator {

    private final ProxyWasmExchange state;

    private final ProxyWasmResponse response;

    private final ServerHttpRequest request;

    ProxyWasmWebExchange(ServerWebExchange delegate, ProxyWasmExchange state, ProxyWasmResponse response) {
        this(delegate, state, response, delegate.getRequest());
    }

    private ProxyWasmWebExchange(ServerWebExchange delegate, ProxyWasmExchange state, ProxyWasmResponse response,
            ServerHttpRequest request) {
        super(delegate);
        this.state = state;
        this.response = response;
        this.request = request;
    }

    /**
     * The request's filter state: this decoration's when the exchange is it (the common case, no attribute
     * lookup), else the one kept in the attributes (another filter decorated the exchange since), or null.
     */
    static ProxyWasmExchange state(ServerWebExchange exchange) {
        return exchange instanceof ProxyWasmWebExchange own ? own.state : ProxyWasmExchange.get(exchange);
    }

    /**
     * The exchange with the request a filter changed: a copy of this decoration (over the same exchange, the
     * same response) when the exchange is it, else (an exchange another filter decorated) a mutated copy.
     */
    static ServerWebExchange withRequest(ServerWebExchange exchange, ServerHttpRequest request) {
        if (exchange instanceof ProxyWasmWebExchange own) {
            return new ProxyWasmWebExchange(own.getDelegate(), own.state, own.response, request);
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
