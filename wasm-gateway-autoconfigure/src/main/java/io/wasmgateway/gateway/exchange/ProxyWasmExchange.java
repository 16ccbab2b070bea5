package io.wasmgateway.gateway.exchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.netty.util.concurrent.EventExecutor;
import io.wasmgateway.gateway.RequestLoop;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.PluginHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the ProxyWasm filters of one request share: their contexts in request order, the current request and
 * response header maps, the properties filters set, and whether the response callbacks ran. Kept in an
 * exchange attribute by {@link ProxyWasmExchangeFilter}.
 */
final class ProxyWasmExchange {

    private static final Logger log = LoggerFactory.getLogger(ProxyWasmExchange.class);

    private static final String ATTRIBUTE = ProxyWasmExchange.class.getName();

    private final long startEpochNanos;

    private final ResponseAborts aborts;

    private final List<FilterStream> streams = new ArrayList<>(2);

    private Map<List<String>, byte[]> setProperties; // made by the first filter that sets one; guarded by itself

    // the plugins of the route's filters, pinned until the request ends: a refresh that drops the route meanwhile
    // releases them only after that (see ProxyWasmPlugins); an element null when its plugin could not be pinned
    private PluginHandle[] pinned;

    // volatile: a callback may run on another event loop when the VM instance is shared (instances: 1)
    private volatile ServerWebExchange exchange;

    private volatile EventExecutor loop; // the request's connection's event loop, where it goes on after a pause

    private volatile HeaderMap requestHeaders;

    private volatile HeaderMap responseHeaders;

    // decided from the downstream request before any filter ran, as Envoy decides end of stream from the stream
    // itself: a filter that removes content-length still gets the body callbacks
    private boolean requestHasBody;

    private long requestContentLength = -1;

    private boolean responsePhaseStarted;

    private boolean finished;

    ProxyWasmExchange() {
        this(ResponseAborts.NONE);
    }

    ProxyWasmExchange(ResponseAborts aborts) {
        this.aborts = aborts;
        Instant now = Instant.now();
        this.startEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static ProxyWasmExchange get(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }

    /**
     * Binds this state to the exchange the filters see (attributes are shared by every mutated copy) and pins the
     * plugins of the route's ProxyWasm filters.
     */
    void attach(ServerWebExchange exchange, ProxyWasmGatewayFilter[] filters) {
        this.exchange = exchange;
        this.loop = RequestLoop.of(exchange.getRequest());
        this.requestContentLength = exchange.getRequest().getHeaders().getContentLength();
        this.requestHasBody = RequestHeaders.hasBody(exchange.getRequest());
        exchange.getAttributes().put(ATTRIBUTE, this);
        PluginHandle[] plugins = new PluginHandle[filters.length];
        for (int i = 0; i < filters.length; i++) {
            PluginHandle plugin = filters[i].plugin();
            plugins[i] = plugin.pin() ? plugin : null;
        }
        synchronized (this) {
            pinned = plugins;
        }
    }

    /** For a filter whose route gave no state (its filters wrapped in a way the gateway doesn't know). */
    void attach(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        attach(exchange, route != null ? RouteFilters.find(route) : RouteFilters.NONE);
    }

    /** Where a response cut after its headers went out is logged and counted. */
    ResponseAborts aborts() {
        return aborts;
    }

    ServerWebExchange exchange() {
        return exchange;
    }

    /** {@code stage}, completing on the request's event loop (see {@link RequestLoop}). */
    <T> CompletableFuture<T> onLoop(CompletableFuture<T> stage) {
        return RequestLoop.backOn(loop, stage);
    }

    /** Whether the downstream request has a body, whatever the filters did to its headers. */
    boolean requestHasBody() {
        return requestHasBody;
    }

    /** The downstream request's Content-Length, or -1. */
    long requestContentLength() {
        return requestContentLength;
    }

    long startEpochNanos() {
        return startEpochNanos;
    }

    /** Registers a filter's opened stream; one registered after the request ended is finished at once. */
    FilterStream register(FilterStream stream) {
        boolean late;
        synchronized (this) {
            late = finished;
            if (!late) {
                streams.add(stream);
            }
        }
        if (late) {
            finish(stream);
        }
        return stream;
    }

    /** The contexts that still take callbacks, last registered first (the order of response callbacks). */
    List<FilterStream> responseOrder() {
        return responseOrder(false);
    }

    /**
     * The contexts with a response body callback that still take callbacks, last registered first; an empty
     * list, made once, when there is none (the common case: a header filter).
     */
    List<FilterStream> responseBodyOrder() {
        return responseOrder(true);
    }

    private synchronized List<FilterStream> responseOrder(boolean withBodiesOnly) {
        List<FilterStream> reversed = null;
        for (int i = streams.size() - 1; i >= 0; i--) {
            FilterStream stream = streams.get(i);
            if (!stream.failed() && (!withBodiesOnly || stream.responseBodies())) {
                if (reversed == null) {
                    reversed = new ArrayList<>(i + 1);
                }
                reversed.add(stream);
            }
        }
        return reversed != null ? reversed : List.of();
    }

    /** The contexts with a request body callback that still take callbacks, in request order. */
    synchronized List<FilterStream> requestBodyOrder() {
        List<FilterStream> order = new ArrayList<>(streams.size());
        for (FilterStream stream : streams) {
            if (stream.requestBodies() && !stream.failed()) {
                order.add(stream);
            }
        }
        return order;
    }

    /** True the first time only: response callbacks run once per request, whichever way the response goes. */
    synchronized boolean startResponsePhase() {
        if (responsePhaseStarted || finished) {
            return false;
        }
        responsePhaseStarted = true;
        return true;
    }

    /** The response is the gateway's own failure response: filters don't see it. */
    synchronized void skipResponsePhase() {
        responsePhaseStarted = true;
    }

    HeaderMap requestHeaders() {
        return requestHeaders;
    }

    void requestHeaders(HeaderMap headers) {
        this.requestHeaders = headers;
    }

    HeaderMap responseHeaders() {
        return responseHeaders;
    }

    void responseHeaders(HeaderMap headers) {
        this.responseHeaders = headers;
    }

    /** A property a filter of this request set, or null. */
    byte[] propertySetByFilter(List<String> path) {
        synchronized (this) {
            return setProperties != null ? setProperties.get(path) : null;
        }
    }

    void storeProperty(List<String> path, byte[] value) {
        List<String> key = List.copyOf(path);
        byte[] copy = value.clone();
        synchronized (this) {
            if (setProperties == null) {
                setProperties = new HashMap<>(4);
            }
            setProperties.put(key, copy);
        }
    }

    /** proxy_on_done, proxy_on_log and proxy_on_delete for every context, in request order, once. */
    void finish() {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        // no copy needed: once finished, register() adds no more streams, and nothing else changes the list
        for (FilterStream stream : streams) {
            finish(stream);
        }
        PluginHandle[] unpin;
        synchronized (this) {
            unpin = pinned;
            pinned = null;
        }
        if (unpin != null) {
            for (PluginHandle plugin : unpin) {
                if (plugin != null) {
                    plugin.unpin(); // after the contexts' final callbacks were queued on their lanes
                }
            }
        }
    }

    private static void finish(FilterStream stream) {
        try {
            CompletableFuture<Void> finished = stream.context().finish().toCompletableFuture();
            if (finished.isDone() && !finished.isCompletedExceptionally()) {
                return; // finished inline (the common case): nothing to wait for
            }
            finished.whenComplete((ignored, error) -> {
                if (error != null) {
                    finishFailed(stream, error);
                }
            });
        }
        catch (RuntimeException ex) {
            finishFailed(stream, ex);
        }
    }

    private static void finishFailed(FilterStream stream, Throwable error) {
        log.warn("Finishing a request of wasm module '{}' failed: {}", stream.module(), error.toString());
    }
}
