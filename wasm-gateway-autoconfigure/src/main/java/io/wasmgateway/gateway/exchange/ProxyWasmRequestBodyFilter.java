package io.wasmgateway.gateway.exchange;

import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Runs the request body through the body callbacks of the route's ProxyWasm filters, after all their header
 * callbacks and just before the request goes upstream. The request leaves only with the first bytes the filters
 * let through (or when the body ends): a filter that holds the whole body can still change the request headers
 * or answer locally, and then the upstream receives nothing. Routes whose filters have no request body callback,
 * and requests without a body, pass untouched.
 */
public class ProxyWasmRequestBodyFilter implements GlobalFilter, Ordered {

    /** After every route filter, before the routing filters (WebsocketRoutingFilter is LOWEST - 1). */
    public static final int ORDER = NettyRoutingFilter.ORDER - 10;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ProxyWasmExchange state = ProxyWasmWebExchange.state(exchange);
        if (state == null || !state.requestHasBody()) {
            return chain.filter(exchange);
        }
        List<FilterStream> streams = state.requestBodyOrder();
        if (streams.isEmpty()) {
            return chain.filter(exchange);
        }
        BodyChain body = new BodyChain(streams, true, exchange.getResponse().bufferFactory(),
                state.requestContentLength());
        return body.apply(exchange.getRequest().getBody())
            // the chain may end (the upstream answered) before the body was sent whole: cancelling the body then
            // would make Reactor Netty drop the upstream connection, and the answer's body with it
            .switchOnFirst((first, rest) -> first.isOnError() ? Mono.error(first.getThrowable())
                    : chain.filter(withBody(exchange, state, body, first, rest)), false)
            .then()
            .onErrorResume(error -> BodyAnswers.find(error) != null,
                    error -> BodyAnswers.answer(exchange, exchange.getResponse(), BodyAnswers.find(error), true,
                            state.aborts()));
    }

    /** The request as it leaves: header changes the body callbacks made, framing for the body, the body. */
    private static ServerWebExchange withBody(ServerWebExchange exchange, ProxyWasmExchange state, BodyChain body,
            reactor.core.publisher.Signal<? extends DataBuffer> first, Flux<DataBuffer> rest) {
        ServerWebExchange changed = RequestHeaders.apply(exchange, state.requestHeaders());
        HttpHeaders headers = new HttpHeaders();
        headers.addAll(changed.getRequest().getHeaders());
        BodyFraming.adjust(headers, body, first);
        ServerHttpRequest request = new ServerHttpRequestDecorator(changed.getRequest()) {
            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }

            @Override
            public Flux<DataBuffer> getBody() {
                return rest;
            }
        };
        return ProxyWasmWebExchange.withRequest(changed, request);
    }
}
