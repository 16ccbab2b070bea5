package io.wasmgateway.it.support;

import java.time.Duration;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Says which request a test gateway still has in flight after {@link #AFTER}, and how far it got: a test whose
 * client times out then shows whether the gateway ever saw the request, picked its route, called the upstream
 * and committed a response. No test request takes this long unless something is stuck.
 */
final class SlowExchangeReporter implements WebFilter, Ordered {

    static final Duration AFTER = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(SlowExchangeReporter.class);

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Disposable report = Schedulers.parallel().schedule(() -> report(exchange), AFTER.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return chain.filter(exchange).doFinally(signal -> report.dispose());
    }

    private static void report(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        log.warn("still in flight after {} s: {} {} (route {}, upstream url {}, response committed {}, status {}, "
                + "attributes {})", AFTER.toSeconds(), exchange.getRequest().getMethod(),
                exchange.getRequest().getURI().getRawPath(), route == null ? "none" : route.getId(),
                exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR),
                exchange.getResponse().isCommitted(), exchange.getResponse().getStatusCode(),
                new TreeSet<>(exchange.getAttributes().keySet()));
    }
}
