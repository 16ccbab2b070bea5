package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.FailurePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;

/**
 * The ProxyWasm filter of a module that is not required and could not be used (it failed to load, or this route's
 * plugin of it failed to configure): every request gets the module's failure policy's answer.
 */
public final class FailedModuleFilter implements GatewayFilter {

    private static final Logger log = LoggerFactory.getLogger(FailedModuleFilter.class);

    private final String module;

    private final FailurePolicy policy;

    public FailedModuleFilter(String module, FailurePolicy policy) {
        this.module = module;
        this.policy = policy;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        log.debug("wasm module '{}' failed to load: answering {}", module, FailureAnswer.name(policy));
        return FailureAnswer.requestPhase(policy, ProxyWasmWebExchange.state(exchange), exchange,
                Mono.defer(() -> chain.filter(exchange)));
    }

    public String module() {
        return module;
    }

    @Override
    public String toString() {
        return FilterToString.of(this).append("module", module).append("failed", FailureAnswer.name(policy))
            .toString();
    }
}
