package io.wasmgateway.gateway.extism;

import java.net.URI;

import io.micrometer.observation.ObservationRegistry;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.FailurePolicy;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code WasmRewrite}: the request phase (ngx_wasm's {@code rewrite_by_wasm}). The export's reply changes the
 * request going upstream (headers set and removed, path, query) or answers it in the upstream's place.
 */
final class WasmRewriteGatewayFilter extends ExtismGatewayFilter {

    WasmRewriteGatewayFilter(ExtismModules modules, ExtismFilterFactory.Config config, FailurePolicy failedModule,
            CallbackObserver observer, ObservationRegistry observations) {
        super(modules, config, failedModule, observer, observations);
    }

    @Override
    String filterName() {
        return WasmRewriteGatewayFilterFactory.NAME;
    }

    @Override
    Mono<Void> handle(ServerWebExchange exchange, GatewayFilterChain chain, byte[] output) {
        ExtismReplies.Rewrite rewrite = ExtismReplies.rewrite(output);
        if (rewrite.response() != null) {
            return respond(exchange, rewrite.response());
        }
        ServerHttpRequest.Builder request = exchange.getRequest().mutate();
        request.headers(headers -> {
            rewrite.removeHeaders().forEach(headers::remove);
            rewrite.setHeaders().forEach(headers::set);
        });
        if (rewrite.path() != null || rewrite.query() != null) {
            URI uri = exchange.getRequest().getURI();
            UriComponentsBuilder changed = UriComponentsBuilder.fromUri(uri);
            if (rewrite.path() != null) {
                changed.replacePath(rewrite.path());
            }
            if (rewrite.query() != null) {
                changed.replaceQuery(rewrite.query().isEmpty() ? null : rewrite.query());
            }
            request.uri(changed.build(true).toUri());
        }
        return chain.filter(exchange.mutate().request(request.build()).build());
    }

    @Override
    Mono<Void> skip(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange);
    }
}
