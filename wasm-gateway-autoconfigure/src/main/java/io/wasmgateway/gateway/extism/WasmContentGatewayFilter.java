package io.wasmgateway.gateway.extism;

import io.micrometer.observation.ObservationRegistry;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.FailurePolicy;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code WasmContent}: the content phase (ngx_wasm's {@code content_by_wasm}). The export's reply is the whole
 * response (status, headers, body); nothing after this filter runs and no upstream is called, so routes use
 * it with {@code uri: no://op}.
 */
final class WasmContentGatewayFilter extends ExtismGatewayFilter {

    WasmContentGatewayFilter(ExtismModules modules, ExtismFilterFactory.Config config, FailurePolicy failedModule,
            CallbackObserver observer, ObservationRegistry observations) {
        super(modules, config, failedModule, observer, observations);
    }

    @Override
    String filterName() {
        return WasmContentGatewayFilterFactory.NAME;
    }

    @Override
    Mono<Void> handle(ServerWebExchange exchange, GatewayFilterChain chain, byte[] output) {
        return respond(exchange, ExtismReplies.content(output));
    }

    /** There is no response to fall back on: fail-open answers as fail-closed does. */
    @Override
    Mono<Void> skip(ServerWebExchange exchange, GatewayFilterChain chain) {
        return failure(exchange);
    }
}
