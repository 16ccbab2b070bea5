package io.wasmgateway.gateway.exchange;

import java.net.URI;
import java.util.Locale;

import io.wasmgateway.host.HeaderMap;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/** A request as a filter's header map, and a filter's changes back into the request. */
final class RequestHeaders {

    private RequestHeaders() {
    }

    /**
     * {@code :method}, {@code :path} (raw path and query), {@code :authority} (the Host header), {@code :scheme},
     * then every header but Host, names in lower case, values as Netty received them.
     */
    static HeaderMap from(ServerHttpRequest request) {
        HeaderMap map = new HeaderMap();
        URI uri = request.getURI();
        map.add(":method", request.getMethod().name());
        map.add(":path", pathAndQuery(uri));
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        map.add(":authority", host != null ? host : uri.getRawAuthority() != null ? uri.getRawAuthority() : "");
        map.add(":scheme", uri.getScheme() != null ? uri.getScheme() : "http");
        request.getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.HOST.equalsIgnoreCase(name)) {
                String lowerName = name.toLowerCase(Locale.ROOT);
                for (String value : values) {
                    map.add(lowerName, value);
                }
            }
        });
        map.markClean();
        return map;
    }

    /** Whether a body follows the headers: a positive Content-Length or any Transfer-Encoding. */
    static boolean hasBody(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    /**
     * The exchange with the filter's changes: method, path and query, authority (sent upstream as Host) and
     * headers. Unchanged when the filter changed nothing.
     *
     * @throws IllegalArgumentException when the filter set a :method, :path or :authority that isn't valid
     */
    static ServerWebExchange apply(ServerWebExchange exchange, HeaderMap map) {
        if (!map.isModified()) {
            return exchange;
        }
        map.markClean();
        ServerHttpRequest request = exchange.getRequest();
        ServerHttpRequest.Builder builder = request.mutate();
        String method = map.get(":method");
        if (method != null && !method.equals(request.getMethod().name())) {
            builder.method(HttpMethod.valueOf(method));
        }
        String originalAuthority = request.getHeaders().getFirst(HttpHeaders.HOST);
        String authority = map.get(":authority");
        boolean authorityChanged = authority != null && !authority.equals(originalAuthority);
        String path = map.get(":path");
        URI uri = request.getURI();
        if (authorityChanged || (path != null && !path.equals(pathAndQuery(uri)))) {
            builder.uri(uri(uri, authorityChanged ? authority : uri.getRawAuthority(), path != null ? path
                    : pathAndQuery(uri)));
        }
        builder.headers(headers -> {
            headers.clear();
            for (int i = 0; i < map.size(); i++) {
                String name = map.name(i);
                if (!name.startsWith(":") && !name.equals("host")) {
                    headers.add(name, map.value(i));
                }
            }
            String host = authority != null ? authority : originalAuthority;
            if (host != null) {
                headers.set(HttpHeaders.HOST, host);
            }
        });
        if (authorityChanged) {
            // the gateway sends the route's host upstream unless told to keep the request's
            exchange.getAttributes().put(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE, true);
        }
        return exchange.mutate().request(builder.build()).build();
    }

    static String pathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static URI uri(URI original, String authority, String pathAndQuery) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("a :path must start with '/': " + pathAndQuery);
        }
        return URI.create(original.getScheme() + "://" + authority + pathAndQuery);
    }
}
