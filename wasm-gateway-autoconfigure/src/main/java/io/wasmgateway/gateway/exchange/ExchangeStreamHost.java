package io.wasmgateway.gateway.exchange;

import java.util.List;

import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.StreamHost;

/** What one filter's context sees of its request: the exchange's shared maps and properties. */
final class ExchangeStreamHost implements StreamHost {

    private final ProxyWasmExchange exchange;

    private final int maxBufferedBody;

    ExchangeStreamHost(ProxyWasmExchange exchange, int maxBufferedBody) {
        this.exchange = exchange;
        this.maxBufferedBody = maxBufferedBody;
    }

    @Override
    public Object requestKey() {
        return exchange; // one per request: its filters' contexts share a VM instance under isolation stream
    }

    @Override
    public int maxBufferedBody() {
        return maxBufferedBody;
    }

    @Override
    public HeaderMap requestHeaders() {
        return exchange.requestHeaders();
    }

    @Override
    public HeaderMap responseHeaders() {
        return exchange.responseHeaders();
    }

    @Override
    public byte[] property(List<String> path) {
        // a value a filter of this request set wins, so that later filters see it
        byte[] set = exchange.propertySetByFilter(path);
        return set != null ? set : ExchangeProperties.read(exchange, path);
    }

    @Override
    public boolean setProperty(List<String> path, byte[] value) {
        exchange.storeProperty(path, value);
        return true;
    }
}
