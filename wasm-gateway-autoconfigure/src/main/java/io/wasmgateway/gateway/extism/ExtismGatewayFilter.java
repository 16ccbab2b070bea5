package io.wasmgateway.gateway.extism;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.wasmgateway.gateway.RequestLoop;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.FailurePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * What WasmRewrite and WasmContent share: the request as a JSON envelope (with its body when the route asks),
 * one call of the plugin's export (never blocking: see {@link ExtismInstance}), observed as "wasm.filter", and
 * what a failure means for the request: a call that failed (trap, budget, an error the plugin returned) answers
 * by the module's failure policy, a reply that is not the documented JSON answers 502.
 */
abstract class ExtismGatewayFilter implements GatewayFilter {

    private static final Logger log = LoggerFactory.getLogger(ExtismGatewayFilter.class);

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te", "trailer", "content-length");

    private static final byte[] FAILED = "wasm filter failed\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] INVALID_REPLY = "wasm plugin reply invalid\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] TOO_LARGE = "request body too large\n".getBytes(StandardCharsets.US_ASCII);

    protected final ExtismModules modules;

    protected final String module;

    protected final String function;

    private final String routeId;

    private final String config;

    private final boolean withBody;

    private final FailurePolicy failedModule;

    private final CallbackObserver observer;

    private final ObservationRegistry observations;

    /** @param failedModule the policy of a module that failed to load and is not required, else null */
    ExtismGatewayFilter(ExtismModules modules, ExtismFilterFactory.Config config, FailurePolicy failedModule,
            CallbackObserver observer, ObservationRegistry observations) {
        this.modules = modules;
        this.module = config.getModule().trim();
        this.function = config.getFunction().trim();
        this.routeId = config.getRouteId();
        this.config = config.getConfig();
        this.withBody = config.isBody();
        this.failedModule = failedModule;
        this.observer = observer;
        this.observations = observations;
    }

    /** The filter's name in routes: WasmRewrite or WasmContent. */
    abstract String filterName();

    /** Acts on the export's output; {@code exchange} carries the request body again when it was read. */
    abstract Mono<Void> handle(ServerWebExchange exchange, GatewayFilterChain chain, byte[] output);

    /** What the request gets when the filter is skipped by fail-open. */
    abstract Mono<Void> skip(ServerWebExchange exchange, GatewayFilterChain chain);

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (failedModule != null) {
            return failed(exchange, chain, failedModule, "the module failed to load and is not required");
        }
        observer.request(module);
        if (!withBody) {
            return call(exchange, chain, null);
        }
        int max = modules.current(module).spec().maxBody();
        return DataBufferUtils.join(exchange.getRequest().getBody(), max)
            .map(ExtismGatewayFilter::bytes)
            .defaultIfEmpty(new byte[0])
            .flatMap(body -> call(exchange.mutate().request(withBody(exchange.getRequest(), body)).build(), chain, body))
            .onErrorResume(DataBufferLimitException.class, ex -> {
                log.warn("{} of wasm module '{}' on route '{}': the request body is larger than max-buffered-body "
                        + "({} bytes): 413", filterName(), module, routeId, max);
                return write(exchange.getResponse(), 413, Map.of(), TOO_LARGE);
            });
    }

    private Mono<Void> call(ServerWebExchange exchange, GatewayFilterChain chain, byte[] body) {
        byte[] input = ExtismEnvelope.of(exchange.getRequest(), routeId, config, body);
        // a call queued behind another on its instance completes on that call's thread: go on on the request's loop
        return observed(Mono.fromFuture(
                () -> RequestLoop.backOn(RequestLoop.of(exchange.getRequest()), modules.call(module, function, input))))
            .onErrorResume(ExtismCallException.class, ex -> failed(exchange, chain,
                    modules.current(module).failurePolicy(), ex.getMessage()).then(Mono.empty()))
            .flatMap(output -> {
                try {
                    return handle(exchange, chain, output);
                }
                catch (InvalidReplyException ex) {
                    log.error("{} of wasm module '{}' on route '{}': function '{}' answered an invalid reply: {}",
                            filterName(), module, routeId, function, ex.getMessage());
                    return write(exchange.getResponse(), 502, Map.of(), INVALID_REPLY);
                }
            });
    }

    /** The export's call as an observation "wasm.filter" (module, function), a child of the request's. */
    private Mono<byte[]> observed(Mono<byte[]> call) {
        if (observations.isNoop()) {
            return call;
        }
        return Mono.deferContextual(context -> {
            Observation observation = Observation.createNotStarted("wasm.filter", observations)
                .contextualName("wasm " + module)
                .lowCardinalityKeyValue("module", module)
                .lowCardinalityKeyValue("function", function)
                .parentObservation(context.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
                .start();
            return call.doOnError(observation::error).doFinally(signal -> observation.stop());
        });
    }

    private Mono<Void> failed(ServerWebExchange exchange, GatewayFilterChain chain, FailurePolicy policy,
            String reason) {
        log.error("{} of wasm module '{}' failed on route '{}' ({}): {}", filterName(), module, routeId,
                ExtismModules.policyName(policy), reason);
        if (policy == FailurePolicy.FAIL_OPEN) {
            return skip(exchange, chain);
        }
        return failure(exchange);
    }

    /** The gateway's answer for a failed filter, the same as a failed Proxy-Wasm filter's. */
    static Mono<Void> failure(ServerWebExchange exchange) {
        return write(exchange.getResponse(), 503, Map.of(), FAILED);
    }

    /** The plugin's own response (counted as a local response of the module). */
    Mono<Void> respond(ServerWebExchange exchange, ExtismReplies.Response response) {
        observer.localResponse(module, response.status());
        return write(exchange.getResponse(), response.status(), response.headers(), response.body());
    }

    /** Status, headers (without hop-by-hop ones; our own Content-Length) and body. */
    static Mono<Void> write(ServerHttpResponse response, int status, Map<String, String> headers, byte[] body) {
        response.setStatusCode(HttpStatusCode.valueOf(status));
        HttpHeaders responseHeaders = response.getHeaders();
        headers.forEach((name, value) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                responseHeaders.set(name, value);
            }
        });
        if (body.length > 0 && !responseHeaders.containsHeader(HttpHeaders.CONTENT_TYPE)) {
            responseHeaders.setContentType(MediaType.TEXT_PLAIN);
        }
        responseHeaders.setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The request with the body read for the envelope, for whatever comes next (the upstream). */
    private static ServerHttpRequest withBody(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }

    @Override
    public String toString() {
        // the style of the gateway's own filters in /actuator/gateway/routes
        return "[" + filterName() + " module = '" + module + "', function = '" + function + "']";
    }
}
