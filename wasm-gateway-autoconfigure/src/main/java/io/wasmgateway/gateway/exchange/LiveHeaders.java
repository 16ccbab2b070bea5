package io.wasmgateway.gateway.exchange;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.netty.util.AsciiString;
import io.wasmgateway.host.HeaderMap;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * The headers of a request or response where they live, as pairs for a filter: Netty's own headers when the
 * server's are at hand (read pair by pair, none of the list per name that Spring's adapter over them makes),
 * else Spring's {@link HttpHeaders}. Writes go to the same place. Optionally hides the Host header (a request's
 * Host is its {@code :authority}).
 */
final class LiveHeaders {

    private static final AsciiString HOST = AsciiString.cached("host");

    private static final String REACTOR_REQUEST = "org.springframework.http.server.reactive.ReactorServerHttpRequest";

    private static final String REACTOR_RESPONSE = "org.springframework.http.server.reactive.ReactorServerHttpResponse";

    private final HttpHeaders spring;

    private final io.netty.handler.codec.http.HttpHeaders netty; // null: read and write through Spring's

    private final boolean hideHost;

    private LiveHeaders(HttpHeaders spring, io.netty.handler.codec.http.HttpHeaders netty, boolean hideHost) {
        this.spring = spring;
        this.netty = netty;
        this.hideHost = hideHost;
    }

    /** A request's headers without Host: Netty's for the server's own request, else Spring's. */
    static LiveHeaders of(ServerHttpRequest request) {
        // only the server's own request shows Netty's headers as they are; a mutated one has a copy of its own
        if (request.getClass().getName().equals(REACTOR_REQUEST) && request instanceof AbstractServerHttpRequest server
                && server.getNativeRequest() instanceof HttpServerRequest netty) {
            return new LiveHeaders(request.getHeaders(), netty.requestHeaders(), true);
        }
        return spring(request.getHeaders(), true);
    }

    /** A response's headers: Netty's for the server's own response, else Spring's. */
    static LiveHeaders of(ServerHttpResponse response) {
        if (response.getClass().getName().equals(REACTOR_RESPONSE) && response instanceof AbstractServerHttpResponse server
                && server.getNativeResponse() instanceof HttpServerResponse netty) {
            return new LiveHeaders(response.getHeaders(), netty.responseHeaders(), false);
        }
        // the writable headers as they are now: after the commit Spring hands out a read-only copy
        return spring(response.getHeaders(), false);
    }

    static LiveHeaders spring(HttpHeaders headers, boolean hideHost) {
        return new LiveHeaders(headers, null, hideHost);
    }

    int size() {
        if (netty != null) {
            int size = netty.size();
            if (hideHost && netty.contains(HOST)) {
                for (Iterator<? extends CharSequence> hosts = netty.valueCharSequenceIterator(HOST); hosts
                    .hasNext(); hosts.next()) {
                    size--;
                }
            }
            return size;
        }
        int size = 0;
        for (Map.Entry<String, List<String>> header : spring.headerSet()) {
            if (!hidden(header.getKey())) {
                size += header.getValue().size();
            }
        }
        return size;
    }

    long textLength() {
        long length = 0;
        if (netty != null) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> pairs = netty.iteratorCharSequence(); pairs
                .hasNext();) {
                Map.Entry<CharSequence, CharSequence> pair = pairs.next();
                if (!hidden(pair.getKey())) {
                    length += pair.getKey().length() + pair.getValue().length();
                }
            }
            return length;
        }
        for (Map.Entry<String, List<String>> header : spring.headerSet()) {
            if (!hidden(header.getKey())) {
                for (String value : header.getValue()) {
                    length += header.getKey().length() + value.length();
                }
            }
        }
        return length;
    }

    void forEach(HeaderMap.PairVisitor visitor) {
        if (netty != null) {
            for (Iterator<Map.Entry<CharSequence, CharSequence>> pairs = netty.iteratorCharSequence(); pairs
                .hasNext();) {
                Map.Entry<CharSequence, CharSequence> pair = pairs.next();
                if (!hidden(pair.getKey())) {
                    visitor.pair(pair.getKey(), pair.getValue());
                }
            }
            return;
        }
        for (Map.Entry<String, List<String>> header : spring.headerSet()) {
            if (!hidden(header.getKey())) {
                for (String value : header.getValue()) {
                    visitor.pair(header.getKey(), value);
                }
            }
        }
    }

    String get(String name) {
        if (hidden(name)) {
            return null;
        }
        return netty != null ? netty.get(name) : spring.getFirst(name);
    }

    void add(String name, String value) {
        if (netty != null) {
            netty.add(name, value);
        }
        else {
            spring.add(name, value);
        }
    }

    void set(String name, String value) {
        if (netty != null) {
            netty.set(name, value);
        }
        else {
            spring.set(name, value);
        }
    }

    void remove(String name) {
        if (netty != null) {
            netty.remove(name);
        }
        else {
            spring.remove(name);
        }
    }

    void clear() {
        if (netty != null) {
            netty.clear();
        }
        else {
            spring.clear();
        }
    }

    /** The pairs as a guest sees them, for logs and tests: {@code {name=value, ...}}, names in lower case. */
    static String describe(HeaderMap map) {
        StringBuilder text = new StringBuilder("{");
        map.forEach((name, value) -> text.append(text.length() == 1 ? "" : ", ")
            .append(HeaderMap.lowerCase(name.toString()))
            .append('=')
            .append(value));
        return text.append('}').toString();
    }

    private boolean hidden(CharSequence name) {
        return hideHost && HOST.contentEqualsIgnoreCase(name);
    }
}
