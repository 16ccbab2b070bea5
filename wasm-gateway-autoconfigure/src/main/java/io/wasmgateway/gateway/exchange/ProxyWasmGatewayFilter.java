package io.wasmgateway.gateway.exchange;

import java.util.concurrent.CompletableFuture;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.wasmgateway.host.Decision;
import io.wasmgateway.host.LocalResponse;
import io.wasmgateway.host.PluginHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * One ProxyWasm filter on a route: runs proxy_on_request_headers before the request goes on, applies the
 * filter's changes to the request, waits (without blocking) while the filter holds the request, and answers
 * with the filter's local response instead of calling the upstream. Its response callbacks run later, in
 * {@link ProxyWasmResponse}.
 */
public final class ProxyWasmGatewayFilter implements GatewayFilter {

    private static final Logger log = LoggerFactory.getLogger(ProxyWasmGatewayFilter.class);

    private final PluginHandle plugin;

    private final String module;

    private final int maxBufferedBody;

    private final ObservationRegistry observations;

    // the observation's name and tag, made once instead of once per request
    private final String contextualName;

    private final KeyValue moduleTag;

    /** @param maxBufferedBody how many body bytes the filter may hold per direction */
    public ProxyWasmGatewayFilter(PluginHandle plugin, String module, int maxBufferedBody,
            ObservationRegistry observations) {
        this.plugin = plugin;
        this.module = module;
        this.maxBufferedBody = maxBufferedBody;
        this.observations = observations;
        this.contextualName = "wasm " + module;
        this.moduleTag = KeyValue.of("module", module);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ProxyWasmExchange state = ProxyWasmWebExchange.state(exchange);
        if (state == null) {
            // ProxyWasmExchangeFilter did not recognise this route's filters (wrapped in a way it doesn't know)
            log.warn("ProxyWasm filter of module '{}' runs without response callbacks on this route", module);
            ProxyWasmExchange standalone = new ProxyWasmExchange();
            standalone.attach(exchange);
            standalone.skipResponsePhase();
            return requestPhase(standalone, exchange, chain).doFinally(signal -> standalone.finish());
        }
        return requestPhase(state, exchange, chain);
    }

    private Mono<Void> requestPhase(ProxyWasmExchange state, ServerWebExchange exchange, GatewayFilterChain chain) {
        RequestHeaders headers = RequestHeaders.from(exchange.getRequest());
        LocalResponse refusal = RequestLimits.refusal(headers);
        if (refusal != null) {
            state.skipResponsePhase();
            return answerLocally(exchange, refusal);
        }
        state.requestHeaders(headers);
        boolean endOfStream = !state.requestHasBody();
        FilterStream stream = new FilterStream(state, module, maxBufferedBody);
        try {
            state.register(stream.open(plugin.newHttpContext(stream)));
        }
        catch (RuntimeException ex) {
            return fail(state, exchange, chain, ex);
        }
        if (observations.isNoop()) {
            return decide(state, exchange, chain, headers, stream, endOfStream, null);
        }
        return Mono.deferContextual(
                context -> decide(state, exchange, chain, headers, stream, endOfStream, observation(context)));
    }

    /**
     * proxy_on_request_headers (and the wait when the filter pauses), then on to the next filter, the filter's
     * local response, or the failure answer. A callback that ran inline (the common case) goes on at once,
     * without a Reactor operator; {@code observation} (or null) ends when the filter has decided.
     */
    private Mono<Void> decide(ProxyWasmExchange state, ServerWebExchange exchange, GatewayFilterChain chain,
            RequestHeaders headers, FilterStream stream, boolean endOfStream, Observation observation) {
        CompletableFuture<Decision> decided = HostStages.headers(stream.context(), true, endOfStream);
        if (decided.isDone()) {
            Throwable error = HostStages.failure(decided);
            if (observation != null) {
                stop(observation, error);
            }
            if (error != null) {
                stream.markFailed();
                return fail(state, exchange, chain, error);
            }
            return act(decided.getNow(null), state, exchange, chain, headers);
        }
        Mono<Decision> pending = Mono.fromFuture(state.onLoop(decided), true);
        if (observation != null) {
            pending = pending.doOnError(observation::error).doFinally(signal -> observation.stop());
        }
        return pending.onErrorResume(error -> {
            stream.markFailed();
            return fail(state, exchange, chain, error).then(Mono.empty());
        }).flatMap(decision -> act(decision, state, exchange, chain, headers));
    }

    /** As Reactor's doFinally would: a handler that throws does not fail the request. */
    private static void stop(Observation observation, Throwable error) {
        try {
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }
        catch (RuntimeException ex) {
            log.warn("an observation handler failed on wasm.filter: {}", ex.toString());
        }
    }

    private Mono<Void> act(Decision decision, ProxyWasmExchange state, ServerWebExchange exchange,
            GatewayFilterChain chain, RequestHeaders headers) {
        return decision instanceof Decision.Respond respond ? answerLocally(exchange, respond.response())
                : proceed(state, exchange, chain, headers);
    }

    /**
     * The filter's request processing (callbacks and pauses) as an observation "wasm.filter", tagged module,
     * a child of the request's observation: a tracer shows the time spent in each module.
     */
    private Observation observation(ContextView context) {
        return Observation.createNotStarted("wasm.filter", observations)
            .contextualName(contextualName)
            .lowCardinalityKeyValue(moduleTag)
            .parentObservation(context.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
            .start();
    }

    private Mono<Void> proceed(ProxyWasmExchange state, ServerWebExchange exchange, GatewayFilterChain chain,
            RequestHeaders headers) {
        ServerWebExchange changed;
        try {
            changed = headers.apply(exchange);
        }
        catch (IllegalArgumentException ex) {
            return fail(state, exchange, chain, ex);
        }
        return chain.filter(changed);
    }

    /** Written through the decorated response, so the response callbacks of the filters so far run on it. */
    private static Mono<Void> answerLocally(ServerWebExchange exchange, LocalResponse response) {
        return LocalResponses.write(exchange.getResponse(), response, false);
    }

    /** Answers by the module's failure policy: the failure response, or on without this filter (fail-open). */
    private Mono<Void> fail(ProxyWasmExchange state, ServerWebExchange exchange, GatewayFilterChain chain,
            Throwable error) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        log.error("wasm module '{}' failed in its request callback on route '{}' ({}): {}", module,
                route != null ? route.getId() : "?", FailureAnswer.name(plugin.current().module().failurePolicy()),
                error.toString());
        log.debug("wasm module '{}' failure", module, error);
        return FailureAnswer.requestPhase(plugin.current().module().failurePolicy(), state, exchange,
                Mono.defer(() -> chain.filter(exchange)));
    }

    public String module() {
        return module;
    }

    /** The effective root id ("" when none). */
    public String rootId() {
        return plugin.rootId();
    }

    /** The plugin this filter's requests use (a refresh that drops the route releases it). */
    public PluginHandle plugin() {
        return plugin;
    }

    @Override
    public String toString() {
        return FilterToString.of(this).append("module", module).append("rootId", plugin.rootId()).toString();
    }
}
